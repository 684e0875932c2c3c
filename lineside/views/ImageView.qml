import QtQuick

// A step's image over the whole screen; a tap anywhere closes it.
Dialog {
    id: root
    required property var instruction
    name: "image"
    framed: false

    Image {
        objectName: "imageLarge"
        anchors.fill: parent
        source: root.visible ? root.instruction.image_source : ""
        asynchronous: true
        fillMode: Image.PreserveAspectFit
        sourceSize.width: Math.max(1, root.width)  // the screen bounds the decoded size
        sourceSize.height: Math.max(1, root.height)
    }
    Text {
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        text: qsTr("Tap to close")
        font.pixelSize: Theme.fontBody
        color: Theme.muted
    }
    TapHandler {
        objectName: "imageClose"
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.instruction.close_image()
    }
}
