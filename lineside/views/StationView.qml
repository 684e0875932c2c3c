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
    required property var nav
    required property var orders
    required property var instruction
    required property var deviations
    required property var signature
    width: 1280
    height: 800
    visible: true
    title: qsTr("Lineside · %1").arg(window.station.station_text)
    color: Theme.background

    // The configured DPI ([display] dpi) wins over what the screen reports.
    Binding {
        target: Theme
        property: "mmOverride"
        value: window.nav.px_per_mm
    }

    HeaderBar {
        id: header
        station: window.station
        signin: window.signin
        sync: window.sync
        nav: window.nav
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
    }

    Item {
        id: body
        objectName: "body"
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.gap / 2

        RowLayout {
            anchors.fill: parent
            spacing: Theme.gap / 2
            ColumnLayout {
                objectName: "home_" + window.nav.home
                Layout.fillWidth: false
                Layout.preferredWidth: parent.width * 0.3
                Layout.fillHeight: true
                spacing: Theme.gap / 2
                MachinePanel {
                    station: window.station
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                }
                HomeButtons {
                    nav: window.nav
                    deviations: window.deviations
                    Layout.fillWidth: true
                }
                RolePanel {
                    nav: window.nav
                    station: window.station
                    stops: window.stops
                    sync: window.sync
                    Layout.fillWidth: true
                }
            }
            StopListView {
                stops: window.stops
                prompt: window.prompt
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
        }

        // The order, instruction and deviation screens lie over the home screen, the sync
        // screen over them; the dialogs over all, stacked by the navigation viewmodel (z 100 up).
        OrderQueueView {
            objectName: "ordersView"
            orders: window.orders
            nav: window.nav
            anchors.fill: parent
            z: 40
        }

        InstructionView {
            objectName: "instructionView"
            instruction: window.instruction
            nav: window.nav
            anchors.fill: parent
            z: 40
        }

        DeviationView {
            objectName: "deviationsView"
            deviations: window.deviations
            nav: window.nav
            anchors.fill: parent
            z: 40
        }

        SyncView {
            objectName: "syncView"
            sync: window.sync
            nav: window.nav
            anchors.fill: parent
            z: 50
        }

        ReasonPromptView {
            objectName: "reasonPrompt"
            nav: window.nav
            prompt: window.prompt
        }

        SplitStopView {
            objectName: "splitDialog"
            nav: window.nav
            stops: window.stops
        }

        HeaderDetailsView {
            objectName: "headerDetails"
            nav: window.nav
            station: window.station
            sync: window.sync
        }

        InputBlockedView {
            objectName: "inputBlocked"
            nav: window.nav
            sync: window.sync
        }

        ImageView {
            objectName: "imageDialog"
            nav: window.nav
            instruction: window.instruction
        }

        CompleteOrderView {
            objectName: "completeDialog"
            nav: window.nav
            orders: window.orders
        }

        AbortOrderView {
            objectName: "abortDialog"
            nav: window.nav
            orders: window.orders
        }

        ContainmentView {
            objectName: "containmentDialog"
            nav: window.nav
            instruction: window.instruction
        }

        SignatureDialog {
            objectName: "signatureDialog"
            nav: window.nav
            signature: window.signature
        }

        SignInView {
            objectName: "signInDialog"
            nav: window.nav
            signin: window.signin
        }
    }
}
