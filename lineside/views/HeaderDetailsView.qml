import QtQuick
import QtQuick.Layouts

// Every header field in full, for values the header had to shorten (long names, German).
Dialog {
    id: root
    required property var station
    required property var sync
    name: "details"

    ColumnLayout {
        width: Math.min(root.width - 4 * Theme.touch, Theme.touch * 16)
        spacing: Theme.gap

        GridLayout {
            columns: 2
            columnSpacing: Theme.gap * 2
            rowSpacing: Theme.gap / 2
            Layout.fillWidth: true

            Text { text: root.station.line_text; font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                objectName: "detailsWhere"
                text: root.station.station_text
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: qsTr("Machine"); font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                text: root.station.machine_state + "  " + root.station.state_duration
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: root.station.order_caption; font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                objectName: "detailsOrder"
                text: root.station.order_text
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: qsTr("Signed in"); font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                objectName: "detailsPerson"
                text: root.station.person_text
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: qsTr("Machine link"); font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                text: root.station.connection_text + (root.station.connection_detail.length > 0 ? "\n" + root.station.connection_detail : "")
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: qsTr("Record"); font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                text: root.station.record_error.length > 0 ? root.station.record_error : root.station.record_text
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
            Text { text: root.sync.badge_caption; font.pixelSize: Theme.fontBody; color: Theme.muted }
            Text {
                text: root.sync.badge_text
                font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text
                Layout.fillWidth: true; wrapMode: Text.WordWrap
            }
        }
        TouchButton {
            objectName: "detailsClose"
            text: qsTr("Close")
            Layout.alignment: Qt.AlignRight
            Layout.preferredWidth: Theme.touch * 3
            onTapped: root.nav.close_header_details()
        }
    }
}
