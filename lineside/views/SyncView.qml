pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// Sync with the server in words: what waits, since when, what the server refused; team leads
// send refused events again or export them for IT.
Rectangle {
    id: root
    required property var sync
    required property var nav
    visible: root.nav.screen === "sync"
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

        Rectangle {
            objectName: "syncInputBlocked"
            visible: root.sync.input_blocked.length > 0
            Layout.fillWidth: true
            implicitHeight: blockedText.implicitHeight + Theme.gap
            color: Theme.alarm
            radius: Theme.radius
            Text {
                id: blockedText
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.margins: Theme.gap
                text: "⚠ " + qsTr("Input blocked:") + " " + root.sync.input_blocked
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.alarmText
                wrapMode: Text.WordWrap
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            // The state of the link, one fact a line.
            ColumnLayout {
                Layout.preferredWidth: root.width * 0.36
                Layout.maximumWidth: root.width * 0.36
                Layout.fillHeight: true
                spacing: Theme.gap / 2

                Text {
                    text: qsTr("Server")
                    font.pixelSize: Theme.fontLarge
                    color: Theme.muted
                }
                Rectangle {
                    Layout.fillWidth: true
                    implicitHeight: Theme.touch
                    radius: Theme.radius
                    color: root.sync.online ? Theme.raised : Theme.noComm
                    Text {
                        objectName: "syncOnline"
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.left: parent.left
                        anchors.leftMargin: Theme.gap
                        text: (root.sync.online ? "" : "⚠ ") + root.sync.sync_text
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                        color: root.sync.online ? Theme.text : Theme.noCommText
                    }
                }
                Text {
                    objectName: "syncLastError"
                    visible: root.sync.last_error.length > 0
                    Layout.fillWidth: true
                    text: root.sync.last_error
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "syncWaiting"
                    Layout.fillWidth: true
                    text: root.sync.waiting_text + (root.sync.oldest_text.length > 0 ? " · " + root.sync.oldest_text : "")
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    text: root.sync.last_delivered_text
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    visible: root.sync.next_attempt_text.length > 0
                    Layout.fillWidth: true
                    text: root.sync.next_attempt_text
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    text: root.sync.master_data_text
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Rectangle {
                    objectName: "syncClockWarning"
                    visible: root.sync.clock_warning
                    Layout.fillWidth: true
                    implicitHeight: clockText.implicitHeight + Theme.gap
                    color: Theme.stopped
                    radius: Theme.radius
                    Text {
                        id: clockText
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.margins: Theme.gap / 2
                        text: "! " + root.sync.clock_text
                        font.pixelSize: Theme.fontBody
                        color: Theme.stoppedText
                        wrapMode: Text.WordWrap
                    }
                }
                Item { Layout.fillHeight: true }
            }

            // What the server refused, oldest first.
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: Theme.spacing

                Text {
                    objectName: "syncQuarantined"
                    text: (root.sync.quarantined > 0 ? "⚠ " : "") + root.sync.quarantined_text
                    font.pixelSize: Theme.fontLarge
                    font.bold: root.sync.quarantined > 0
                    color: Theme.text
                }
                ListView {
                    id: list
                    objectName: "quarantineList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.spacing
                    model: root.sync.model
                    boundsBehavior: Flickable.StopAtBounds
                    delegate: Rectangle {
                        id: row
                        required property int seq
                        required property string occurred_text
                        required property string event_type
                        required property string type_text
                        required property string reason_text
                        required property string attempts_text
                        required property bool retrying
                        required property int index
                        objectName: "quarantineRow" + index
                        width: ListView.view.width
                        implicitHeight: Math.max(Theme.touch + Theme.gap, rowLayout.implicitHeight + Theme.gap)
                        radius: Theme.radius
                        color: Theme.raised
                        border.color: Theme.alarm
                        border.width: 3

                        RowLayout {
                            id: rowLayout
                            anchors.fill: parent
                            anchors.margins: Theme.gap / 2
                            spacing: Theme.spacing
                            Column {
                                Layout.preferredWidth: Theme.touch * 3.5
                                Text { text: row.occurred_text; font.pixelSize: Theme.fontBody; color: Theme.text }
                                Text { text: row.attempts_text; font.pixelSize: Theme.fontSmall; color: Theme.muted }
                                Text {
                                    objectName: "quarantineRetrying" + row.index
                                    width: parent.width
                                    wrapMode: Text.WordWrap
                                    visible: row.retrying
                                    text: "↻ " + qsTr("Sending again")
                                    font.pixelSize: Theme.fontSmall
                                    font.bold: true
                                    color: Theme.text
                                }
                            }
                            Column {
                                Layout.fillWidth: true
                                Row {
                                    width: parent.width
                                    spacing: Theme.spacing
                                    Text {
                                        id: typeWords
                                        text: row.type_text
                                        font.pixelSize: Theme.fontBody
                                        font.bold: true
                                        color: Theme.text
                                    }
                                    Text {
                                        anchors.baseline: typeWords.baseline
                                        text: row.event_type
                                        font.pixelSize: Theme.fontSmall
                                        color: Theme.muted
                                    }
                                }
                                Text {
                                    objectName: "quarantineReason" + row.index
                                    width: parent.width
                                    text: row.reason_text
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.text
                                    wrapMode: Text.WordWrap
                                }
                            }
                            TouchButton {
                                objectName: "retryButton" + row.index
                                text: qsTr("Retry")
                                enabledState: !row.retrying
                                Layout.preferredWidth: Theme.touch * 3
                                onTapped: root.sync.retry(row.seq)
                            }
                        }
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: list.count === 0
                        text: qsTr("The server has refused nothing")
                        font.pixelSize: Theme.fontBody
                        color: Theme.muted
                    }
                }
            }
        }

        Text {
            objectName: "syncMessage"
            visible: root.sync.message.length > 0
            Layout.fillWidth: true
            text: root.sync.message
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                objectName: "syncRetryAll"
                text: qsTr("Retry all")
                enabledState: root.sync.quarantined > 0
                Layout.fillWidth: true
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.sync.retry_all()
            }
            TouchButton {
                objectName: "syncExport"
                text: qsTr("Export")
                enabledState: root.sync.quarantined > 0
                Layout.fillWidth: true
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.sync.export()
            }
            TouchButton {
                objectName: "syncNow"
                text: qsTr("Send now")
                Layout.fillWidth: true
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.sync.sync_now()
            }
            TouchButton {
                objectName: "syncClose"
                text: qsTr("Close")
                primary: true
                Layout.fillWidth: true
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.sync.close_details()
            }
        }
    }
}
