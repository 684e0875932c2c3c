import QtQuick
import QtQuick.Layouts

// The machine at a glance: state, how long, output and speed.
Rectangle {
    id: root
    objectName: "machinePanel"
    required property var station
    color: Theme.surface
    radius: Theme.radius

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Text {
            text: root.station.equipment_text
            font.pixelSize: Theme.fontLarge
            color: Theme.muted
        }
        Rectangle {
            objectName: "machineStateBox"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch * 2
            radius: Theme.radius
            color: root.station.state_kind === "stopped" ? Theme.stopped
                   : (root.station.state_kind === "unknown" ? Theme.noComm : Theme.raised)
            Column {
                anchors.centerIn: parent
                width: parent.width - Theme.gap * 2
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: Theme.fontBody
                    text: (root.station.state_kind === "stopped" ? "■ " : (root.station.state_kind === "unknown" ? "? " : "")) + root.station.machine_state
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                    color: root.station.state_kind === "unknown" ? Theme.noCommText : Theme.text
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: root.station.state_duration
                    font.pixelSize: Theme.fontLarge
                    color: root.station.state_kind === "unknown" ? Theme.noCommText : Theme.text
                }
            }
        }
        Text {
            visible: root.station.connection !== "connected"
            Layout.fillWidth: true
            text: root.station.connection_detail
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontSmall
            color: Theme.text
        }
        // Labels wrap (long German words), values keep their room: nothing runs past the panel.
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: Theme.gap * 2
            rowSpacing: Theme.gap / 2
            Text { text: qsTr("Shift"); font.pixelSize: Theme.fontBody; color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true; Layout.minimumWidth: Theme.touch }
            Text { objectName: "shiftText"; text: root.station.shift_text; font.pixelSize: Theme.fontLarge; color: Theme.text }
            Text { text: qsTr("Good this shift"); font.pixelSize: Theme.fontBody; color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true; Layout.minimumWidth: Theme.touch }
            Text { objectName: "goodCount"; text: root.station.good_count; font.pixelSize: Theme.fontLarge; color: Theme.text }
            Text { text: qsTr("Defective this shift"); font.pixelSize: Theme.fontBody; color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true; Layout.minimumWidth: Theme.touch }
            Text { text: root.station.defective_count; font.pixelSize: Theme.fontLarge; color: Theme.text }
            Text { text: qsTr("Speed"); font.pixelSize: Theme.fontBody; color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true; Layout.minimumWidth: Theme.touch }
            Text { text: root.station.speed_text; font.pixelSize: Theme.fontLarge; color: Theme.text }
        }
        Item { Layout.fillHeight: true }
    }
}
