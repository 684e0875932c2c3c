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

    // The least room of a field that may elide (it reads normal, or says where and what).
    function least(badge: Item, most: real): real { return Math.min(badge.implicitWidth, most) }
    // Room for what must be read — the machine state and every abnormal field — once the
    // others have their least; they share it in proportion only when all do not fit.
    readonly property real mustRoom: width - Theme.gap - 7 * Theme.spacing - clock.implicitWidth
        - least(where, Theme.touch * 1.5) - least(order, Theme.touch * 1.5)
        - least(person, Theme.touch * 1.5)
        - (connection.abnormal ? 0 : least(connection, Theme.touch * 1.5))
        - (record.abnormal ? 0 : least(record, Theme.touch * 1.5))
        - (syncBadge.abnormal ? 0 : least(syncBadge, Theme.touch * 1.5))
    readonly property real mustWidth: stateBadge.valueWidth
        + (connection.abnormal ? connection.valueWidth : 0)
        + (record.abnormal ? record.valueWidth : 0)
        + (syncBadge.abnormal ? syncBadge.valueWidth : 0)
    readonly property real mustScale: Math.min(1, Math.max(0, mustRoom) / Math.max(1, mustWidth))
    // First where, order and name give way; the states keep all their words while they fit.
    readonly property bool statesFit: width - Theme.gap - 7 * Theme.spacing - clock.implicitWidth
        - Math.ceil(stateBadge.implicitWidth) - Math.ceil(connection.implicitWidth)
        - Math.ceil(record.implicitWidth) - Math.ceil(syncBadge.implicitWidth)
        >= least(where, Theme.touch * 1.5) + least(order, Theme.touch * 1.5)
           + least(person, Theme.touch * 1.5)

    // When words are long (German), where and order shrink and elide first, then a long name
    // and the fields that read normal; the machine state and any abnormal field keep their
    // value readable (its caption may elide). A tap on any field shows them all in full.
    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        spacing: Theme.spacing

        StatusBadge {
            id: where
            objectName: "headerWhere"
            onTapped: root.nav.open_header_details()
            caption: root.station.line_text
            value: root.station.station_text
            Layout.fillWidth: true
            Layout.minimumWidth: root.least(this, Theme.touch * 1.5)
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
        }
        StatusBadge {
            id: stateBadge
            objectName: "headerState"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Machine")
            value: root.station.machine_state + "  " + root.station.state_duration
            icon: root.station.state_kind === "stopped" ? "■" : (root.station.state_kind === "unknown" ? "?" : (root.station.state_kind === "planned" ? "◇" : ""))
            fill: root.station.state_kind === "stopped" ? Theme.stopped
                  : (root.station.state_kind === "unknown" ? Theme.noComm : "transparent")
            textColor: root.station.state_kind === "unknown" ? Theme.noCommText : Theme.text
            Layout.fillWidth: true
            Layout.minimumWidth: root.statesFit ? Math.ceil(implicitWidth) : Math.floor(valueWidth * root.mustScale)
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
        }
        StatusBadge {
            id: order
            objectName: "headerOrder"
            onTapped: root.nav.open_screen("orders")
            caption: root.station.order_caption
            value: root.station.order_text
            icon: root.station.order_held ? "⚠" : ""
            fill: root.station.order_held ? Theme.stopped : "transparent"
            border.color: Theme.line
            border.width: 1
            Layout.minimumWidth: root.least(this, Theme.touch * 1.5)
            Layout.fillWidth: true
        }
        StatusBadge {
            id: person
            objectName: "headerPerson"
            caption: qsTr("Signed in")
            value: root.station.person_text
            border.color: Theme.line
            border.width: 1
            Layout.fillWidth: true
            Layout.minimumWidth: root.least(this, Theme.touch * 1.5)
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
            onTapped: root.signin.open()
        }
        StatusBadge {
            id: connection
            objectName: "headerConnection"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Machine link")
            value: root.station.connection_text
            icon: root.station.connection === "connected" ? "" : "⚠"
            fill: root.station.connection === "connected" ? "transparent" : Theme.noComm
            textColor: root.station.connection === "connected" ? Theme.text : Theme.noCommText
            Layout.fillWidth: true
            Layout.minimumWidth: root.statesFit ? Math.ceil(implicitWidth) : (abnormal ? Math.floor(valueWidth * root.mustScale) : root.least(this, Theme.touch * 1.5))
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
        }
        StatusBadge {
            id: record
            objectName: "headerRecord"
            onTapped: root.nav.open_header_details()
            caption: qsTr("Record")
            value: root.station.record_error.length > 0 ? qsTr("Not saving") : root.station.record_text
            icon: root.station.record_error.length > 0 ? "⚠" : ""
            fill: root.station.record_error.length > 0 ? Theme.alarm : "transparent"
            textColor: root.station.record_error.length > 0 ? Theme.alarmText : Theme.text
            Layout.fillWidth: true
            Layout.minimumWidth: root.statesFit ? Math.ceil(implicitWidth) : (abnormal ? Math.floor(valueWidth * root.mustScale) : root.least(this, Theme.touch * 1.5))
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
        }
        StatusBadge {
            id: syncBadge
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
            Layout.fillWidth: true
            Layout.minimumWidth: root.statesFit ? Math.ceil(implicitWidth) : (abnormal ? Math.floor(valueWidth * root.mustScale) : root.least(this, Theme.touch * 1.5))
            Layout.maximumWidth: Math.ceil(implicitWidth)
            Layout.preferredWidth: Math.ceil(implicitWidth)
            onTapped: root.sync.open_details()
        }
        Text {
            id: clock
            objectName: "headerClock"
            text: root.station.clock_text
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: implicitWidth
        }
    }
}
