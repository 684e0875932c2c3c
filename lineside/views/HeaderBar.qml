import QtQuick
import QtQuick.Layouts

// Always visible: where, machine state and for how long, order, who, connection, record, sync.
Rectangle {
    id: root
    required property var station
    required property var signin
    required property var sync
    required property var nav
    implicitHeight: Theme.touch + Theme.gap
    color: Theme.surface

    // When words are long (German), where and order shrink and elide, then a long name; the
    // states never do.
    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        spacing: Theme.spacing

        StatusBadge {
            objectName: "headerWhere"
            onTapped: root.nav.open_header_details()
            caption: root.station.line_text
            value: root.station.station_text
            Layout.fillWidth: true
            Layout.minimumWidth: Theme.touch * 2
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
        }
        StatusBadge {
            objectName: "headerState"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Machine")
            value: root.station.machine_state + "  " + root.station.state_duration
            icon: root.station.state_kind === "stopped" ? "■" : (root.station.state_kind === "unknown" ? "?" : (root.station.state_kind === "planned" ? "◇" : ""))
            fill: root.station.state_kind === "stopped" ? Theme.stopped
                  : (root.station.state_kind === "unknown" ? Theme.noComm : "transparent")
            textColor: root.station.state_kind === "unknown" ? Theme.noCommText : Theme.text
            Layout.fillWidth: true
            Layout.minimumWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerOrder"
            onTapped: root.nav.open_header_details()
            caption: root.station.order_caption
            value: root.station.order_text
            Layout.minimumWidth: Theme.touch * 2
            Layout.fillWidth: true
        }
        StatusBadge {
            objectName: "headerPerson"
            caption: qsTr("Signed in")
            value: root.station.person_text
            border.color: Theme.line
            border.width: 1
            Layout.fillWidth: true
            Layout.minimumWidth: Math.min(implicitWidth, Theme.touch * 3)
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
            onTapped: root.signin.open()
        }
        StatusBadge {
            objectName: "headerConnection"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Machine link")
            value: root.station.connection_text
            icon: root.station.connection === "connected" ? "" : "⚠"
            fill: root.station.connection === "connected" ? "transparent" : Theme.noComm
            textColor: root.station.connection === "connected" ? Theme.text : Theme.noCommText
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerRecord"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Record")
            value: root.station.record_error.length > 0 ? qsTr("Not saving") : root.station.record_text
            icon: root.station.record_error.length > 0 ? "⚠" : ""
            fill: root.station.record_error.length > 0 ? Theme.alarm : "transparent"
            textColor: root.station.record_error.length > 0 ? Theme.alarmText : Theme.text
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: implicitWidth
        }
        StatusBadge {
            objectName: "headerSync"
            caption: root.sync.badge_caption
            value: root.sync.badge_text
            icon: root.sync.badge_kind === "normal" ? "" : (root.sync.badge_kind === "attention" ? "!" : "⚠")
            fill: root.sync.badge_kind === "alarm" ? Theme.alarm
                  : (root.sync.badge_kind === "offline" ? Theme.noComm
                  : (root.sync.badge_kind === "attention" ? Theme.stopped : "transparent"))
            textColor: root.sync.badge_kind === "alarm" ? Theme.alarmText
                       : (root.sync.badge_kind === "offline" ? Theme.noCommText : Theme.text)
            border.color: Theme.line
            border.width: 1
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: implicitWidth
            onTapped: root.sync.open_details()
        }
        Text {
            objectName: "headerClock"
            text: root.station.clock_text
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: implicitWidth
        }
    }
}
