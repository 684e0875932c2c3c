import QtQuick
import QtQuick.Layouts

// An electronic signature: what it means, badge then PIN (the PIN alone later in a session),
// the PIN masked; wrong PIN with attempts left, locked; then the signed record.
Dialog {
    id: root
    required property var signature
    name: "signature"

    ColumnLayout {
        id: column
        spacing: Theme.spacing

        Text {
            objectName: "signatureMeaning"
            text: root.signature.meaning_text
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
        }
        Text {
            objectName: "signatureTitle"
            text: root.signature.title
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            Layout.maximumWidth: keypad.implicitWidth
        }
        Text {
            objectName: "signatureAsk"
            visible: root.signature.step === "badge" || root.signature.step === "pin"
            text: root.signature.ask_text
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }
        Rectangle {
            visible: root.signature.step === "badge" || root.signature.step === "pin"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            color: Theme.raised
            border.color: Theme.line
            radius: Theme.radius
            Text {
                objectName: "signatureEntry"
                anchors.centerIn: parent
                text: root.signature.entry_text
                font.pixelSize: Theme.fontHuge
                color: Theme.text
            }
        }
        Rectangle {
            objectName: "signatureSigned"
            visible: root.signature.step === "signed"
            Layout.fillWidth: true
            Layout.minimumWidth: keypad.implicitWidth
            implicitHeight: signedText.implicitHeight + Theme.gap * 2
            color: Theme.raised
            border.color: Theme.text
            border.width: 2
            radius: Theme.radius
            Text {
                id: signedText
                objectName: "signatureRecord"
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.gap
                text: "✓ " + root.signature.signed_text
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
        // Room for two lines is kept whether or not there is a message: the keys never move.
        Rectangle {
            Layout.fillWidth: true
            Layout.maximumWidth: keypad.implicitWidth
            Layout.preferredHeight: Theme.fontBody * 2.6
            color: root.signature.step === "locked" ? Theme.stopped : "transparent"
            radius: Theme.radius
            Text {
                objectName: "signatureMessage"
                anchors.fill: parent
                anchors.leftMargin: Theme.gap / 2
                text: root.signature.message.length > 0 ? "⚠ " + root.signature.message : ""
                wrapMode: Text.WordWrap
                elide: Text.ElideRight
                maximumLineCount: 2
                font.pixelSize: Theme.fontBody
                font.bold: root.signature.step === "locked"
                color: Theme.text
            }
        }
        NumericKeypad {
            id: keypad
            namePrefix: "signKey"
            visible: root.signature.step === "badge" || root.signature.step === "pin"
            Layout.alignment: Qt.AlignHCenter
            confirmText: root.signature.step === "pin" ? qsTr("Sign") : qsTr("Next")
            enabledState: !root.signature.busy
            onDigit: (value) => root.signature.press(value)
            onErase: root.signature.backspace()
            onConfirm: root.signature.confirm()
        }
        TouchButton {
            objectName: "signatureOtherPerson"
            visible: root.signature.pin_only && root.signature.step === "pin"
            text: qsTr("Another person signs")
            Layout.fillWidth: true
            onTapped: root.signature.use_badge()
        }
        TouchButton {
            objectName: "signatureUnlock"
            visible: root.signature.step === "locked" && root.signature.can_unlock
            text: qsTr("Unlock signing (team lead)")
            Layout.fillWidth: true
            onTapped: root.signature.unlock()
        }
        TouchButton {
            objectName: "signatureClose"
            text: root.signature.step === "signed" ? qsTr("Done") : qsTr("Cancel")
            primary: root.signature.step === "signed"
            Layout.fillWidth: true
            onTapped: root.signature.close()
        }
    }
}
