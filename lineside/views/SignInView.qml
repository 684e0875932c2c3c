import QtQuick
import QtQuick.Layouts

// Sign in with the badge number on the numeric keypad; sign out.
Dialog {
    id: root
    required property var signin
    name: "signin"

    ColumnLayout {
        id: column
        spacing: Theme.spacing

        Text {
            text: qsTr("Sign in with your badge number")
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            color: Theme.raised
            border.color: Theme.line
            radius: Theme.radius
            Text {
                objectName: "badgeDigits"
                anchors.centerIn: parent
                text: root.signin.digits
                font.pixelSize: Theme.fontHuge
                color: Theme.text
            }
        }
        // Room for two lines is kept whether or not there is a message: the keys never move.
        Text {
            objectName: "signInMessage"
            Layout.fillWidth: true
            Layout.maximumWidth: keypad.implicitWidth
            Layout.preferredHeight: Theme.fontBody * 2.6
            text: root.signin.message.length > 0 ? "⚠ " + root.signin.message : ""
            wrapMode: Text.WordWrap
            elide: Text.ElideRight
            maximumLineCount: 2
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
        NumericKeypad {
            id: keypad
            Layout.alignment: Qt.AlignHCenter
            confirmText: qsTr("Sign in")
            onDigit: (value) => root.signin.press(value)
            onErase: root.signin.backspace()
            onConfirm: root.signin.confirm()
        }
        RowLayout {
            spacing: Theme.spacing
            TouchButton {
                objectName: "signOut"
                visible: root.signin.signed_in
                text: qsTr("Sign out")
                Layout.fillWidth: true
                onTapped: root.signin.sign_out()
            }
            TouchButton {
                objectName: "signInCancel"
                text: qsTr("Cancel")
                Layout.fillWidth: true
                onTapped: root.signin.cancel()
            }
        }
    }
}
