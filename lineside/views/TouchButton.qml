import QtQuick
import QtQuick.Layouts

// A large, flat touch target (at least 12 mm); no hover, one tap.
Rectangle {
    id: root
    property string text: ""
    property string icon: ""
    property bool primary: false
    property bool enabledState: true
    property int fontSize: Theme.fontBody
    signal tapped()

    implicitWidth: Math.max(Theme.touch * 2, label.implicitWidth + 2 * Theme.gap)
    implicitHeight: Math.max(Theme.touch, label.implicitHeight + Theme.gap)
    // Never shrunk below a gloved fingertip by a crowded layout.
    Layout.minimumWidth: Theme.touch
    Layout.minimumHeight: Theme.touch
    radius: Theme.radius
    color: tap.pressed ? Theme.pressed : (primary ? Theme.raised : Theme.surface)
    border.color: primary ? Theme.text : Theme.line
    border.width: primary ? 3 : 1
    opacity: enabledState ? 1.0 : 0.5

    Text {
        id: label
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        text: (root.icon.length > 0 ? root.icon + "  " : "") + root.text
        color: Theme.text
        font.pixelSize: root.fontSize
        font.bold: root.primary
        wrapMode: Text.WordWrap
        // A word longer than the button (German) gets a smaller font rather than an ellipsis.
        fontSizeMode: Text.Fit
        minimumPixelSize: Math.min(root.fontSize, 12)
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }

    // An exclusive grab on press: the tap ends here and never reaches what lies underneath.
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds
        enabled: root.enabledState
        onTapped: root.tapped()
    }
}
