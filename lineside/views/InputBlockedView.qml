import QtQuick
import QtQuick.Layouts

// The station refuses new input (outbox full, disk full): say so over everything, and why.
Dialog {
    id: root
    required property var sync
    name: "blocked"
    panelColor: Theme.alarm

    ColumnLayout {
        id: column
        width: Math.min(root.width - 4 * Theme.touch, Theme.touch * 20)
        spacing: Theme.gap

        Text {
            text: "⚠ " + qsTr("This station cannot save new input")
            font.pixelSize: Theme.fontHuge
            font.bold: true
            color: Theme.alarmText
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Text {
            objectName: "inputBlockedText"
            text: root.sync.input_blocked
            font.pixelSize: Theme.fontLarge
            color: Theme.alarmText
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Text {
            text: qsTr("Call your team lead or IT.")
            font.pixelSize: Theme.fontBody
            color: Theme.alarmText
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        TouchButton {
            objectName: "inputBlockedDetails"
            text: qsTr("Details")
            Layout.alignment: Qt.AlignRight
            Layout.preferredWidth: Theme.touch * 3
            onTapped: root.sync.open_details()
        }
    }
}
