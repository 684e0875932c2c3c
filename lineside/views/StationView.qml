import QtQuick
import QtQuick.Layouts
import QtQuick.Window

// The station screen: header always on top, machine and today's stops, the prompt over them.
Window {
    id: window
    required property var station
    required property var prompt
    required property var stops
    required property var signin
    required property var sync
    width: 1280
    height: 800
    visible: true
    title: qsTr("Lineside · %1").arg(window.station.station_text)
    color: Theme.background

    HeaderBar {
        id: header
        station: window.station
        signin: window.signin
        sync: window.sync
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
    }

    Item {
        id: body
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.gap / 2

        RowLayout {
            anchors.fill: parent
            spacing: Theme.gap / 2
            MachinePanel {
                station: window.station
                Layout.preferredWidth: parent.width * 0.3
                Layout.fillHeight: true
            }
            StopListView {
                stops: window.stops
                prompt: window.prompt
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
        }

        ReasonPromptView {
            objectName: "reasonPrompt"
            prompt: window.prompt
            anchors.fill: parent
        }

        SplitStopView {
            objectName: "splitDialog"
            stops: window.stops
            anchors.fill: parent
        }

        InputBlockedView {
            objectName: "inputBlocked"
            sync: window.sync
            anchors.fill: parent
        }

        // Above the blocking banner, opened from the header: a team lead signs in, then
        // retries or exports what blocks the station.
        SyncView {
            objectName: "syncView"
            sync: window.sync
            anchors.fill: parent
        }

        SignInView {
            objectName: "signInDialog"
            signin: window.signin
            anchors.fill: parent
        }
    }
}
