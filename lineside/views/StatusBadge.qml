import QtQuick

// A header field: caption above value; abnormal values get colour, an icon and words.
Rectangle {
    id: root
    property string caption: ""
    property string value: ""
    property string icon: ""
    property color fill: "transparent"
    property color textColor: Theme.text
    readonly property bool elided: captionText.truncated || valueText.truncated
    readonly property bool valueElided: valueText.truncated
    readonly property bool abnormal: fill.a > 0
    /** The room the value needs in full (the caption may elide before it). */
    readonly property real valueWidth: Math.ceil(valueText.implicitWidth) + 2 * Theme.gap
    signal tapped()

    implicitWidth: Math.max(captionText.implicitWidth, valueText.implicitWidth) + 2 * Theme.gap
    implicitHeight: Theme.touch
    color: fill
    radius: Theme.radius

    Column {
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: parent.left
        anchors.leftMargin: Theme.gap
        anchors.right: parent.right
        anchors.rightMargin: Theme.gap
        Text {
            id: captionText
            text: root.caption
            color: root.textColor
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
            width: parent.width
        }
        Text {
            id: valueText
            text: (root.icon.length > 0 ? root.icon + " " : "") + root.value
            color: root.textColor
            font.pixelSize: Theme.fontBody
            font.bold: true
            elide: Text.ElideRight
            width: parent.width
        }
    }

    // Long values elide; a tap shows every header field in full (HeaderDetailsView).
    TapHandler {
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.tapped()
    }
}
