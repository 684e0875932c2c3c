pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// Sign in with the badge number on a large numeric keypad; sign out.
Rectangle {
    id: root
    required property var signin
    visible: root.signin.visible
    color: "#80000000"   // dims the screen behind the dialog

    TapHandler { }

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
            Text {
                objectName: "signInMessage"
                visible: root.signin.message.length > 0
                Layout.fillWidth: true
                Layout.maximumWidth: grid.implicitWidth
                text: "⚠ " + root.signin.message
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontBody
                color: Theme.text
            }
            GridLayout {
                id: grid
                Layout.alignment: Qt.AlignHCenter
                columns: 3
                rowSpacing: Theme.gap / 2
                columnSpacing: Theme.gap / 2
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
                    delegate: TouchButton {
                        required property string modelData
                        objectName: "key" + modelData
                        text: modelData
                        fontSize: Theme.fontLarge
                        Layout.preferredWidth: Theme.touch * 2
                        Layout.preferredHeight: Theme.touch * 1.3
                        onTapped: root.signin.press(modelData)
                    }
                }
                TouchButton {
                    objectName: "keyBack"
                    text: "⌫"
                    fontSize: Theme.fontLarge
                    Layout.preferredWidth: Theme.touch * 2
                    Layout.preferredHeight: Theme.touch * 1.3
                    onTapped: root.signin.backspace()
                }
                TouchButton {
                    objectName: "key0"
                    text: "0"
                    fontSize: Theme.fontLarge
                    Layout.preferredWidth: Theme.touch * 2
                    Layout.preferredHeight: Theme.touch * 1.3
                    onTapped: root.signin.press("0")
                }
                TouchButton {
                    objectName: "keyOk"
                    text: qsTr("Sign in")
                    primary: true
                    Layout.preferredWidth: Theme.touch * 2
                    Layout.preferredHeight: Theme.touch * 1.3
                    onTapped: root.signin.confirm()
                }
            }
            RowLayout {
                spacing: Theme.gap / 2
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
}
