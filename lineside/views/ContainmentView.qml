pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// A value out of limits whose check leaves the containment to the operator: what now?
Dialog {
    id: root
    required property var instruction
    name: "containment"

    ColumnLayout {
        spacing: Theme.spacing
        width: Math.min(root.width - 2 * Theme.touch, Theme.touch * 15)
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: containmentText.implicitHeight + Theme.gap
            color: Theme.stopped
            radius: Theme.radius
            Text {
                id: containmentText
                objectName: "containmentText"
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.margins: Theme.gap
                text: "⚠ " + root.instruction.containment_text
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.stoppedText
                wrapMode: Text.WordWrap
            }
        }
        Repeater {
            model: root.instruction.containments
            delegate: TouchButton {
                required property var modelData
                objectName: "containment_" + modelData.code
                text: modelData.label
                fontSize: Theme.fontLarge
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch * 1.3
                onTapped: root.instruction.choose_containment(modelData.code)
            }
        }
        TouchButton {
            objectName: "containmentCancel"
            text: qsTr("Back to the entry")
            Layout.fillWidth: true
            onTapped: root.instruction.cancel_containment()
        }
    }
}
