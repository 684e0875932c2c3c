pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// The moment of stop: suggested reason first, the tree as large buttons, one tap to code.
// It flashes (and the terminal plays its sound) when it opens for a stop.
Dialog {
    id: root
    required property var prompt
    name: "prompt"
    framed: false
    dim: false
    property int attention: root.nav.attention
    onAttentionChanged: flashing.restart()

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: titleColumn.implicitHeight + Theme.gap
                color: Theme.stopped
                radius: Theme.radius
                Column {
                    id: titleColumn
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.leftMargin: Theme.gap
                    Text {
                        objectName: "promptTitle"
                        text: "■ " + root.prompt.title
                        font.pixelSize: Theme.fontHuge
                        font.bold: true
                        color: Theme.stoppedText
                    }
                    Text {
                        text: root.prompt.detail + "   " + root.prompt.plc_text
                        font.pixelSize: Theme.fontBody
                        color: Theme.stoppedText
                    }
                }
            }
            Text {
                objectName: "promptDuration"
                text: root.prompt.duration_text
                font.pixelSize: Theme.fontHuge
                color: Theme.text
                Layout.preferredWidth: Theme.touch * 3
                horizontalAlignment: Text.AlignHCenter
            }
        }

        TouchButton {
            objectName: "suggestedReason"
            visible: root.prompt.suggested_label.length > 0 && !root.prompt.can_go_back
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch * 1.5
            primary: true
            fontSize: Theme.fontLarge
            icon: "★"
            text: qsTr("Suggested: %1").arg(root.prompt.suggested_label)
            enabledState: !root.prompt.busy
            onTapped: root.prompt.choose_suggested()
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            visible: root.prompt.can_go_back
            TouchButton {
                objectName: "reasonBack"
                icon: "◀"
                text: qsTr("Back")
                onTapped: root.prompt.back()
            }
            Text {
                text: root.prompt.breadcrumb
                font.pixelSize: Theme.fontLarge
                color: Theme.text
                Layout.fillWidth: true
                elide: Text.ElideLeft
            }
        }

        GridLayout {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: 3
            rowSpacing: Theme.spacing
            columnSpacing: Theme.spacing
            Repeater {
                model: root.prompt.choices
                delegate: TouchButton {
                    required property var modelData
                    required property int index
                    objectName: "reason_" + modelData.code
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: 1
                    Layout.minimumHeight: Theme.touch
                    fontSize: Theme.fontLarge
                    text: modelData.label + (modelData.leaf ? "" : "  ›")
                    enabledState: !root.prompt.busy
                    onTapped: root.prompt.choose(modelData.code)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            // A fixed height: a message never moves the reasons under a finger.
            Text {
                objectName: "promptMessage"
                text: root.prompt.message
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
            }
            TouchButton {
                objectName: "deferReason"
                text: qsTr("Later")
                Layout.preferredWidth: Theme.touch * 3
                onTapped: root.prompt.defer()
            }
        }
    }

    Rectangle {
        id: flash
        objectName: "promptFlash"
        anchors.fill: parent
        color: "transparent"
        border.color: Theme.stopped
        border.width: Theme.gap * 2
        radius: Theme.radius
        opacity: 0
        SequentialAnimation {
            id: flashing
            loops: 3
            NumberAnimation { target: flash; property: "opacity"; to: 1; duration: 120 }
            NumberAnimation { target: flash; property: "opacity"; to: 0; duration: 280 }
        }
    }
}
