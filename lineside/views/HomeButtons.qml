import QtQuick
import QtQuick.Layouts

// The ways from the home screen to the order queue, the instruction and the deviations.
Rectangle {
    id: root
    required property var nav
    required property var deviations
    color: Theme.surface
    radius: Theme.radius
    implicitHeight: grid.implicitHeight + 2 * Theme.gap

    GridLayout {
        id: grid
        anchors.fill: parent
        anchors.margins: Theme.gap
        columns: 3
        columnSpacing: Theme.spacing
        rowSpacing: Theme.spacing
        TouchButton {
            objectName: "openOrders"
            text: qsTr("Orders")
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            onTapped: root.nav.open_screen("orders")
        }
        TouchButton {
            objectName: "openInstruction"
            text: qsTr("Instruction")
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            onTapped: root.nav.open_screen("instruction")
        }
        TouchButton {
            objectName: "openDeviations"
            text: qsTr("Deviations")
            icon: root.deviations.rows.length > 0 ? "⚠" : ""
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            onTapped: root.nav.open_screen("deviations")
        }
    }
}
