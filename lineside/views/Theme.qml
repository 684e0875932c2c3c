pragma Singleton
import QtQuick
import QtQuick.Window

// High-performance HMI palette (ISA-101): grey for normal, colour only for what is abnormal.
QtObject {
    // Pixels per millimetre: from the configured DPI ([display] dpi) when the screen reports
    // a wrong one, else the screen's own.
    property real mmOverride: 0
    readonly property real mm: mmOverride > 0 ? mmOverride : (Screen.pixelDensity > 0 ? Screen.pixelDensity : 4)
    readonly property real touch: Math.ceil(12 * mm)     // the smallest touch target (gloves)
    readonly property real spacing: Math.ceil(3 * mm)    // the least room between two targets
    readonly property real gap: Math.ceil(2 * mm)
    readonly property real radius: Math.ceil(1 * mm)

    readonly property color background: "#d4d4d4"
    readonly property color surface: "#e6e6e6"
    readonly property color raised: "#f2f2f2"
    readonly property color pressed: "#bdbdbd"
    readonly property color line: "#9e9e9e"
    readonly property color text: "#1b1b1b"
    readonly property color muted: "#4d4d4d"

    readonly property color stopped: "#f0b400"      // abnormal: machine stopped, reason missing
    readonly property color stoppedText: "#1b1b1b"
    readonly property color alarm: "#c62828"        // abnormal: record cannot be written
    readonly property color alarmText: "#ffffff"
    readonly property color noComm: "#8e44ad"       // abnormal: no connection, state unknown
    readonly property color noCommText: "#ffffff"

    readonly property int fontSmall: 16
    readonly property int fontBody: 20
    readonly property int fontLarge: 26
    readonly property int fontHuge: 40
}
