import QtQuick

// A modal dialog. The navigation viewmodel shows it and stacks it (`name` in `nav.layers`);
// it takes every tap, drag and wheel on and around it, so nothing underneath reacts.
Item {
    id: root
    required property var nav
    required property string name
    property bool framed: true          // a centred panel; false: the content fills the area
    property bool dim: true
    property color panelColor: Theme.background
    property color frameColor: Theme.text
    default property alias content: holder.data
    readonly property int stackPlace: root.nav.layers.indexOf(root.name) + 1
    readonly property bool active: root.nav.top === root.name

    visible: root.stackPlace > 0
    z: 100 + root.stackPlace
    anchors.fill: parent

    MouseArea {
        objectName: root.name + "Catcher"
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        hoverEnabled: true
        preventStealing: true
        onWheel: (wheel) => { wheel.accepted = true }
    }

    Rectangle {
        anchors.fill: parent
        visible: root.dim
        color: "#80000000"
    }

    Rectangle {
        id: panel
        objectName: root.name + "Panel"
        anchors.centerIn: parent
        width: root.framed ? Math.min(parent.width, holder.childrenRect.width + 2 * Theme.gap) : parent.width
        height: root.framed ? Math.min(parent.height, holder.childrenRect.height + 2 * Theme.gap) : parent.height
        color: root.panelColor
        border.color: root.frameColor
        border.width: 2
        radius: Theme.radius

        Item {
            id: holder
            anchors.fill: parent
            anchors.margins: Theme.gap
        }
    }
}
