pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// Today's stops, newest first; uncoded ones marked; code, recode or split any of them.
Rectangle {
    id: root
    required property var stops
    required property var prompt
    color: Theme.surface
    radius: Theme.radius

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2

        RowLayout {
            Layout.fillWidth: true
            Text {
                text: qsTr("Stops today")
                font.pixelSize: Theme.fontLarge
                color: Theme.text
                Layout.fillWidth: true
            }
            Rectangle {
                objectName: "uncodedBadge"
                visible: root.stops.uncoded_count > 0
                color: Theme.stopped
                radius: Theme.radius
                implicitWidth: uncodedText.implicitWidth + Theme.gap * 2
                implicitHeight: uncodedText.implicitHeight + Theme.gap
                Text {
                    id: uncodedText
                    anchors.centerIn: parent
                    text: "! " + qsTr("%n without reason", "", root.stops.uncoded_count)
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.stoppedText
                }
            }
        }
        Text {
            visible: root.stops.message.length > 0
            text: root.stops.message
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
        ListView {
            id: list
            objectName: "stopList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing
            model: root.stops.model
            boundsBehavior: Flickable.StopAtBounds
            // A new stop comes on top: show it, however far the list was scrolled.
            Connections {
                target: root.stops.model
                function onRowsInserted() { list.positionViewAtBeginning() }
            }
            delegate: Rectangle {
                id: row
                required property string stop_id
                required property string start_text
                required property string end_text
                required property string duration_text
                required property string category_text
                required property string reason_text
                required property bool needs_reason
                required property bool is_open
                required property string plc_text
                required property string history_text
                required property int index
                objectName: "stopRow" + index
                width: ListView.view.width
                implicitHeight: Math.max(Theme.touch + Theme.gap, rowLayout.implicitHeight + Theme.gap)
                radius: Theme.radius
                color: Theme.raised
                border.color: needs_reason ? Theme.stopped : Theme.line
                border.width: needs_reason ? 4 : 1

                RowLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: Theme.gap / 2
                    spacing: Theme.spacing
                    Column {
                        Layout.preferredWidth: implicitWidth
                        Text { text: row.start_text + " – " + row.end_text; font.pixelSize: Theme.fontBody; color: Theme.text }
                        Text { text: row.duration_text; font.pixelSize: Theme.fontBody; font.bold: true; color: Theme.text }
                    }
                    Column {
                        Layout.fillWidth: true
                        Text {
                            width: parent.width
                            text: row.needs_reason ? "! " + row.reason_text : row.reason_text
                            font.pixelSize: Theme.fontBody
                            font.bold: row.needs_reason
                            color: Theme.text
                            wrapMode: Text.WordWrap  // long reason paths take a second line
                            maximumLineCount: 2
                            elide: Text.ElideRight
                        }
                        Text {
                            width: parent.width
                            text: row.category_text + (row.plc_text.length > 0 ? " · " + row.plc_text : "")
                            font.pixelSize: Theme.fontSmall
                            color: Theme.muted
                            elide: Text.ElideRight
                        }
                        Text {
                            objectName: "stopHistory" + row.index
                            width: parent.width
                            visible: row.history_text.length > 0
                            text: row.history_text
                            font.pixelSize: Theme.fontSmall
                            color: Theme.muted
                            wrapMode: Text.WordWrap
                        }
                    }
                    TouchButton {
                        objectName: "codeButton" + row.index
                        text: row.needs_reason ? qsTr("Give reason") : qsTr("Change reason")
                        primary: row.needs_reason
                        Layout.preferredWidth: Theme.touch * 3.2
                        onTapped: root.prompt.open_for(row.stop_id)
                    }
                    TouchButton {
                        objectName: "splitButton" + row.index
                        text: qsTr("Split")
                        Layout.preferredWidth: Theme.touch * 2
                        onTapped: root.stops.begin_split(row.stop_id)
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No stops today")
                font.pixelSize: Theme.fontBody
                color: Theme.muted
            }
        }
    }
}
