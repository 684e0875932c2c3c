import QtQuick
import QtQuick.Layouts

// Split a stop at a chosen time: coarse and fine steps, no typing.
Dialog {
    id: root
    required property var stops
    name: "split"

    ColumnLayout {
        id: column
        spacing: Theme.spacing
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
            spacing: Theme.spacing
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
        // Room for the message is kept: the buttons never move under a finger.
        Text {
            objectName: "splitMessage"
            text: root.stops.message
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 2.6
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
        RowLayout {
            spacing: Theme.spacing
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
