import QtQuick
import QtQuick.Layouts

// Always visible: where, machine state and for how long, order, who, connection, record.
Rectangle {
    id: root
    required property var station
    required property var signin
    implicitHeight: Theme.touch + Theme.gap
    color: Theme.surface

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        spacing: Theme.gap / 2

        StatusBadge {
            objectName: "headerWhere"
            caption: root.station.line_text
            value: root.station.station_text
            Layout.preferredWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerState"
            caption: qsTr("Machine")
            value: root.station.machine_state + "  " + root.station.state_duration
            icon: root.station.state_kind === "stopped" ? "■" : (root.station.state_kind === "unknown" ? "?" : "")
            fill: root.station.state_kind === "stopped" ? Theme.stopped
                  : (root.station.state_kind === "unknown" ? Theme.noComm : "transparent")
            textColor: root.station.state_kind === "unknown" ? Theme.noCommText : Theme.text
            Layout.fillWidth: true
            Layout.minimumWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerOrder"
            caption: qsTr("Order")
            value: root.station.order_text
            Layout.fillWidth: true
        }
        StatusBadge {
            objectName: "headerPerson"
            caption: qsTr("Signed in")
            value: root.station.person_text
            border.color: Theme.line
            border.width: 1
            Layout.preferredWidth: implicitWidth
            TapHandler { onTapped: root.signin.open() }
        }
        StatusBadge {
            objectName: "headerConnection"
            caption: qsTr("Machine link")
            value: root.station.connection_text
            icon: root.station.connection === "connected" ? "" : "⚠"
            fill: root.station.connection === "connected" ? "transparent" : Theme.noComm
            textColor: root.station.connection === "connected" ? Theme.text : Theme.noCommText
            Layout.preferredWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerRecord"
            caption: qsTr("Record")
            value: root.station.record_error.length > 0 ? qsTr("Not saving") : root.station.record_text
            icon: root.station.record_error.length > 0 ? "⚠" : ""
            fill: root.station.record_error.length > 0 ? Theme.alarm : "transparent"
            textColor: root.station.record_error.length > 0 ? Theme.alarmText : Theme.text
            Layout.preferredWidth: implicitWidth
        }
        Text {
            objectName: "headerClock"
            text: root.station.clock_text
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            Layout.preferredWidth: implicitWidth
        }
    }
}
