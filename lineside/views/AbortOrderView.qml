pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// A team lead gives an order up: why, from a short list and in words.
Dialog {
    id: root
    required property var orders
    name: "abort"

    ColumnLayout {
        spacing: Theme.spacing
        width: Math.min(root.width - 2 * Theme.touch, Theme.touch * 16)
        Text {
            text: root.orders.abort_title
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        GridLayout {
            columns: 2
            rowSpacing: Theme.spacing
            columnSpacing: Theme.spacing
            Layout.fillWidth: true
            Repeater {
                model: root.orders.abort_reasons
                delegate: TouchButton {
                    required property var modelData
                    objectName: "abortReason_" + modelData.code
                    text: (modelData.chosen ? "✓ " : "") + modelData.label
                    primary: modelData.chosen
                    Layout.fillWidth: true
                    onTapped: root.orders.choose_abort_reason(modelData.code)
                }
            }
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            color: Theme.raised
            border.color: Theme.line
            radius: Theme.radius
            TextInput {
                objectName: "abortNote"
                anchors.fill: parent
                anchors.margins: Theme.gap
                verticalAlignment: TextInput.AlignVCenter
                font.pixelSize: Theme.fontBody
                color: Theme.text
                text: root.orders.abort_note
                onTextEdited: root.orders.set_abort_note(text)
            }
            Text {
                visible: root.orders.abort_note.length === 0
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.leftMargin: Theme.gap
                text: qsTr("More words (optional)")
                font.pixelSize: Theme.fontBody
                color: Theme.muted
            }
        }
        Text {
            objectName: "abortMessage"
            text: root.orders.message.length > 0 ? "⚠ " + root.orders.message : ""
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 2.6
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }
        RowLayout {
            spacing: Theme.spacing
            Layout.fillWidth: true
            TouchButton {
                objectName: "abortCancel"
                text: qsTr("Cancel")
                Layout.fillWidth: true
                onTapped: root.orders.cancel_abort()
            }
            TouchButton {
                objectName: "abortConfirm"
                text: qsTr("Abort order")
                primary: true
                enabledState: !root.orders.busy
                Layout.fillWidth: true
                onTapped: root.orders.confirm_abort()
            }
        }
    }
}
