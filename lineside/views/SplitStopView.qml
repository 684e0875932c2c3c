import QtQuick
import QtQuick.Layouts

// Split a stop at a chosen time: coarse and fine steps, no typing.
Rectangle {
    id: root
    required property var stops
    visible: root.stops.split_visible
    color: "#80000000"   // dims the screen behind the dialog

    TapHandler {}

    Rectangle {
        anchors.centerIn: parent
        color: Theme.background
        border.color: Theme.text
        border.width: 2
        radius: Theme.radius
        implicitWidth: column.implicitWidth + 2 * Theme.gap
        implicitHeight: column.implicitHeight + 2 * Theme.gap

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: Theme.gap
            spacing: Theme.gap
            Text {
                text: qsTr("Split stop")
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            Text {
                text: root.stops.split_range_text
                font.pixelSize: Theme.fontBody
                color: Theme.text
            }
            RowLayout {
                spacing: Theme.gap
                TouchButton {
                    objectName: "splitMinus60"
                    text: qsTr("−1 min")
                    onTapped: root.stops.adjust_split(-60)
                }
                TouchButton {
                    objectName: "splitMinus10"
                    text: qsTr("−10 s")
                    onTapped: root.stops.adjust_split(-10)
                }
                Text {
                    objectName: "splitTime"
                    text: root.stops.split_text
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                    color: Theme.text
                    horizontalAlignment: Text.AlignHCenter
                    Layout.preferredWidth: Theme.touch * 4
                }
                TouchButton {
                    objectName: "splitPlus10"
                    text: qsTr("+10 s")
                    onTapped: root.stops.adjust_split(10)
                }
                TouchButton {
                    objectName: "splitPlus60"
                    text: qsTr("+1 min")
                    onTapped: root.stops.adjust_split(60)
                }
            }
            Text {
                visible: root.stops.message.length > 0
                text: root.stops.message
                font.pixelSize: Theme.fontBody
                color: Theme.text
            }
            RowLayout {
                spacing: Theme.gap
                TouchButton {
                    objectName: "splitCancel"
                    text: qsTr("Cancel")
                    Layout.fillWidth: true
                    onTapped: root.stops.cancel_split()
                }
                TouchButton {
                    objectName: "splitConfirm"
                    text: qsTr("Split here")
                    primary: true
                    Layout.fillWidth: true
                    onTapped: root.stops.confirm_split()
                }
            }
        }
    }
}
