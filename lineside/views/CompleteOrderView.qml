import QtQuick
import QtQuick.Layouts

// Before an order is completed: what it made against what was ordered.
Dialog {
    id: root
    required property var orders
    name: "complete"

    ColumnLayout {
        spacing: Theme.spacing
        width: Math.min(root.width - 2 * Theme.touch, Theme.touch * 14)
        Text {
            objectName: "completeText"
            text: root.orders.confirm_text
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        // Room for the message is kept: the buttons never move under a finger.
        Text {
            objectName: "completeMessage"
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
                objectName: "completeCancel"
                text: qsTr("Cancel")
                Layout.fillWidth: true
                onTapped: root.orders.cancel_complete()
            }
            TouchButton {
                objectName: "completeConfirm"
                text: qsTr("Complete order")
                primary: true
                enabledState: !root.orders.busy
                Layout.fillWidth: true
                onTapped: root.orders.confirm_complete()
            }
        }
    }
}
