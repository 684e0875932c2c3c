pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// Digits 0-9, erase and a confirm key, each at least 12 mm with 3 mm between (gloves). Every
// dialog that takes a number uses it: badge, PIN, quantity, measurement.
GridLayout {
    id: root
    property string confirmText: qsTr("OK")
    property string namePrefix: "key"
    property bool enabledState: true
    signal digit(string value)
    signal erase()
    signal confirm()

    columns: 3
    rowSpacing: Theme.spacing
    columnSpacing: Theme.spacing

    Repeater {
        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        delegate: TouchButton {
            required property string modelData
            objectName: root.namePrefix + modelData
            text: modelData
            fontSize: Theme.fontLarge
            enabledState: root.enabledState
            Layout.preferredWidth: Theme.touch * 2
            Layout.preferredHeight: Theme.touch * 1.3
            onTapped: root.digit(modelData)
        }
    }
    TouchButton {
        objectName: root.namePrefix + "Back"
        text: "⌫"
        fontSize: Theme.fontLarge
        enabledState: root.enabledState
        Layout.preferredWidth: Theme.touch * 2
        Layout.preferredHeight: Theme.touch * 1.3
        onTapped: root.erase()
    }
    TouchButton {
        objectName: root.namePrefix + "0"
        text: "0"
        fontSize: Theme.fontLarge
        enabledState: root.enabledState
        Layout.preferredWidth: Theme.touch * 2
        Layout.preferredHeight: Theme.touch * 1.3
        onTapped: root.digit("0")
    }
    TouchButton {
        objectName: root.namePrefix + "Ok"
        text: root.confirmText
        primary: true
        enabledState: root.enabledState
        Layout.preferredWidth: Theme.touch * 2
        Layout.preferredHeight: Theme.touch * 1.3
        onTapped: root.confirm()
    }
}
