pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// Open quality deviations and holds; the one chosen is decided (use as is, rework, scrap)
// with why, signed by a team lead or quality person, releasing its hold with it.
Rectangle {
    id: root
    required property var deviations
    required property var nav
    visible: root.nav.screen === "deviations"
    color: Theme.background
    border.color: Theme.text
    border.width: 2
    radius: Theme.radius

    // A screen over the home screen: it takes every tap, drag and wheel that is not its own.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        hoverEnabled: true
        preventStealing: true
        onWheel: (wheel) => { wheel.accepted = true }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Deviations and holds")
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
                Layout.fillWidth: true
            }
            TouchButton {
                objectName: "deviationsHome"
                icon: "◀"
                text: qsTr("Back")
                onTapped: root.nav.go_home()
            }
        }

        Text {
            objectName: "deviationsEmpty"
            visible: root.deviations.empty_text.length > 0
            text: root.deviations.empty_text
            font.pixelSize: Theme.fontBody
            color: Theme.muted
        }
        Text {
            objectName: "deviationsSigned"
            visible: root.deviations.last_signed.length > 0
            text: "✓ " + qsTr("Signed: %1").arg(root.deviations.last_signed)
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }

        Item {  // keeps the title at the top when there is nothing to decide
            visible: root.deviations.rows.length === 0
            Layout.fillHeight: true
        }

        RowLayout {
            visible: root.deviations.rows.length > 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            ListView {
                id: list
                objectName: "deviationList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                clip: true
                spacing: Theme.spacing
                model: root.deviations.rows
                boundsBehavior: Flickable.StopAtBounds
                delegate: Rectangle {
                    id: row
                    required property var modelData
                    required property int index
                    objectName: "deviationRow" + index
                    width: ListView.view.width
                    implicitHeight: Math.max(Theme.touch, rowColumn.implicitHeight + Theme.gap)
                    radius: Theme.radius
                    color: Theme.raised
                    border.color: row.modelData.selected ? Theme.text : Theme.stopped
                    border.width: row.modelData.selected ? 4 : 2
                    Column {
                        id: rowColumn
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.margins: Theme.gap
                        Text {
                            width: parent.width
                            text: "⚠ " + row.modelData.finding
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                        Text {
                            width: parent.width
                            text: row.modelData.detail
                            font.pixelSize: Theme.fontSmall
                            color: Theme.muted
                            wrapMode: Text.WordWrap
                        }
                    }
                    TapHandler {
                        gesturePolicy: TapHandler.ReleaseWithinBounds
                        onTapped: root.deviations.select(row.modelData.id)
                    }
                }
            }

            // The decision on the chosen row.
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                spacing: Theme.spacing
                Text {
                    objectName: "deviationSelected"
                    text: root.deviations.selected_text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                RowLayout {
                    visible: !root.deviations.is_hold
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Repeater {
                        model: root.deviations.decisions
                        delegate: TouchButton {
                            required property var modelData
                            objectName: "decision_" + modelData.code
                            text: (modelData.chosen ? "✓ " : "") + modelData.label
                            primary: modelData.chosen
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                            onTapped: root.deviations.choose_decision(modelData.code)
                        }
                    }
                }
                Text {
                    text: qsTr("Why")
                    font.pixelSize: Theme.fontBody
                    color: Theme.muted
                }
                Repeater {
                    model: root.deviations.why_presets
                    delegate: TouchButton {
                        required property var modelData
                        objectName: "why_" + modelData.code
                        text: modelData.label
                        Layout.fillWidth: true
                        onTapped: root.deviations.choose_why(modelData.code)
                    }
                }
                Rectangle {
                    Layout.fillWidth: true
                    implicitHeight: Theme.touch
                    color: Theme.raised
                    border.color: Theme.line
                    radius: Theme.radius
                    TextInput {
                        objectName: "deviationWhy"
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        verticalAlignment: TextInput.AlignVCenter
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        clip: true
                        text: root.deviations.why
                        onTextEdited: root.deviations.set_why(text)
                    }
                }
                TouchButton {
                    objectName: "deviationRelease"
                    visible: !root.deviations.is_hold
                    text: (root.deviations.release_hold ? "☑ " : "☐ ") + qsTr("Release the hold with the decision")
                    Layout.fillWidth: true
                    onTapped: root.deviations.toggle_release()
                }
                Text {
                    objectName: "deviationMessage"
                    visible: text.length > 0
                    text: root.deviations.message
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Item { Layout.fillHeight: true }
                TouchButton {
                    objectName: "deviationDecide"
                    text: root.deviations.decide_text
                    primary: true
                    enabledState: root.deviations.can_decide
                    Layout.fillWidth: true
                    onTapped: root.deviations.decide()
                }
            }
        }
    }
}
