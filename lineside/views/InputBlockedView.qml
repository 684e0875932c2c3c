import QtQuick
import QtQuick.Layouts

// The station refuses new input (outbox full, disk full): say so over everything, and why.
Rectangle {
    id: root
    required property var sync
    visible: root.sync.input_blocked.length > 0
    color: "#b0000000"   // dims the screen behind the banner

    // Swallow taps: input underneath would be refused anyway.
    TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.touch, Theme.touch * 20)
        height: column.implicitHeight + 4 * Theme.gap
        color: Theme.alarm
        border.color: Theme.text
        border.width: 2
        radius: Theme.radius

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: 2 * Theme.gap
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
}
