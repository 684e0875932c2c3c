pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// The station's order queue: the running order with its actions, then every job with its
// state and progress; Start on a job that may start, Abort for a team lead.
Rectangle {
    id: root
    required property var orders
    required property var nav
    visible: root.nav.screen === "orders"
    color: Theme.background
    border.color: Theme.text
    border.width: 2
    radius: Theme.radius

    // A screen over the home screen: it takes every tap, drag and wheel that is not its own.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        hoverEnabled: true
        preventStealing: true
        onWheel: (wheel) => { wheel.accepted = true }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Orders")
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
                Layout.fillWidth: true
            }
            TouchButton {
                objectName: "ordersHome"
                icon: "◀"
                text: qsTr("Back")
                onTapped: root.nav.go_home()
            }
        }

        // The running order and what can be done with it.
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: currentRow.implicitHeight + Theme.gap
            color: Theme.surface
            radius: Theme.radius
            border.color: root.orders.held ? Theme.stopped : Theme.line
            border.width: root.orders.held ? 4 : 1
            RowLayout {
                id: currentRow
                anchors.fill: parent
                anchors.margins: Theme.gap / 2
                spacing: Theme.spacing
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Text {
                        objectName: "ordersCurrent"
                        text: root.orders.current_text
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        objectName: "ordersChangeover"
                        visible: root.orders.changeover_text.length > 0
                        text: root.orders.changeover_text
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                    }
                    Rectangle {
                        objectName: "ordersHeld"
                        visible: root.orders.held
                        color: Theme.stopped
                        radius: Theme.radius
                        implicitWidth: heldText.implicitWidth + 2 * Theme.gap
                        implicitHeight: heldText.implicitHeight + Theme.gap / 2
                        Text {
                            id: heldText
                            anchors.centerIn: parent
                            text: "⚠ " + qsTr("Held: a deviation waits for its decision")
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.stoppedText
                        }
                    }
                }
                TouchButton {
                    objectName: "orderPause"
                    visible: root.orders.can_pause
                    text: qsTr("Pause")
                    enabledState: !root.orders.busy
                    onTapped: root.orders.pause()
                }
                TouchButton {
                    objectName: "orderResume"
                    visible: root.orders.can_resume
                    text: qsTr("Resume")
                    primary: true
                    enabledState: !root.orders.busy
                    onTapped: root.orders.resume()
                }
                TouchButton {
                    objectName: "orderComplete"
                    visible: root.orders.can_complete
                    text: qsTr("Complete")
                    enabledState: !root.orders.busy
                    onTapped: root.orders.ask_complete()
                }
            }
        }

        Text {
            objectName: "ordersMessage"
            visible: text.length > 0 && !root.orders.confirm_visible && !root.orders.abort_visible
            text: root.orders.message.length > 0 ? "⚠ " + root.orders.message : ""
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        ListView {
            id: list
            objectName: "orderList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing
            model: root.orders.model
            boundsBehavior: Flickable.StopAtBounds
            delegate: Rectangle {
                id: row
                required property string key
                required property string order_id
                required property string operation_id
                required property string order_text
                required property string product_text
                required property string quantity_text
                required property string due_text
                required property string state_text
                required property string progress_text
                required property bool flagged
                required property string flag_text
                required property bool held
                required property bool can_start
                required property bool can_abort
                required property bool is_current
                required property int index
                objectName: "orderRow" + index
                width: ListView.view.width
                implicitHeight: Math.max(Theme.touch + Theme.gap, rowLayout.implicitHeight + Theme.gap)
                radius: Theme.radius
                color: Theme.raised
                border.color: (flagged || held) ? Theme.stopped : (is_current ? Theme.text : Theme.line)
                border.width: (flagged || held) ? 4 : (is_current ? 2 : 1)

                RowLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: Theme.gap / 2
                    spacing: Theme.spacing
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Text {
                            text: row.order_text + " · " + row.product_text
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Text {
                            text: [row.quantity_text, row.due_text].filter(t => t.length > 0).join(" · ")
                            font.pixelSize: Theme.fontSmall
                            color: Theme.muted
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Rectangle {
                            visible: row.flagged
                            color: Theme.stopped
                            radius: Theme.radius
                            implicitWidth: flagText.implicitWidth + 2 * Theme.gap
                            implicitHeight: flagText.implicitHeight + Theme.gap / 2
                            Text {
                                id: flagText
                                objectName: "orderFlag" + row.index
                                anchors.centerIn: parent
                                text: "⚠ " + row.flag_text
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                color: Theme.stoppedText
                            }
                        }
                    }
                    Column {
                        Layout.preferredWidth: Theme.touch * 5.5
                        Text {
                            objectName: "orderState" + row.index
                            width: parent.width
                            text: (row.held ? "⚠ " : "") + row.state_text
                            font.pixelSize: Theme.fontBody
                            font.bold: row.is_current || row.held
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Text {
                            objectName: "orderProgress" + row.index
                            width: parent.width
                            text: row.progress_text
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                    }
                    TouchButton {
                        objectName: "orderStart" + row.index
                        visible: row.can_start
                        text: qsTr("Start")
                        primary: true
                        enabledState: !root.orders.busy
                        Layout.preferredWidth: Theme.touch * 2.5
                        onTapped: root.orders.start(row.order_id, row.operation_id)
                    }
                    TouchButton {
                        objectName: "orderAbort" + row.index
                        visible: row.can_abort
                        text: qsTr("Abort")
                        enabledState: !root.orders.busy
                        Layout.preferredWidth: Theme.touch * 2.5
                        onTapped: root.orders.ask_abort(row.order_id, row.operation_id)
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No orders for this station")
                font.pixelSize: Theme.fontBody
                color: Theme.muted
            }
        }
    }
}
