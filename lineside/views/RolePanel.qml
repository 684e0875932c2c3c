import QtQuick
import QtQuick.Layouts

// What the signed-in role needs first, beside the machine: the team lead the record's state
// and sync, the technician the machine link and the PLC's word on the stop. An operator's home
// has no such panel.
Rectangle {
    id: root
    required property var nav
    required property var station
    required property var stops
    required property var sync
    visible: root.nav.home !== "operator"
    color: Theme.surface
    radius: Theme.radius
    implicitHeight: column.implicitHeight + 2 * Theme.gap

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.spacing

        Text {
            objectName: "roleTitle"
            text: root.nav.home === "team_lead" ? qsTr("Team lead") : qsTr("Maintenance")
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
        }
        Text {
            visible: root.nav.home === "team_lead"
            objectName: "roleUncoded"
            text: qsTr("%n stops without reason", "", root.stops.uncoded_count)
            font.pixelSize: Theme.fontBody
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Text {
            visible: root.nav.home === "team_lead"
            text: root.sync.waiting_text
            font.pixelSize: Theme.fontBody
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Text {
            visible: root.nav.home === "team_lead" && root.sync.quarantined > 0
            text: root.sync.quarantined_text
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        TouchButton {
            objectName: "roleSync"
            visible: root.nav.home === "team_lead"
            text: qsTr("Sync and refused entries")
            Layout.fillWidth: true
            onTapped: root.sync.open_details()
        }
        Text {
            visible: root.nav.home === "technician"
            text: root.station.connection_text
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Text {
            visible: root.nav.home === "technician"
            text: root.station.connection_detail
            font.pixelSize: Theme.fontSmall
            color: Theme.muted
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
    }
}
