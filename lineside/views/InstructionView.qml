pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// The running order's work instruction, one step at a time: text, callouts, image, and what
// the step asks for (confirm, a check on the keypad or buttons, signatures).
Rectangle {
    id: root
    required property var instruction
    required property var nav
    visible: root.nav.screen === "instruction"
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
                objectName: "instructionTitle"
                text: root.instruction.has_instruction ? root.instruction.title_text : qsTr("Instruction")
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Text {
                objectName: "instructionStepOf"
                visible: root.instruction.has_instruction
                text: root.instruction.step_of_text
                font.pixelSize: Theme.fontLarge
                color: Theme.text
            }
            TouchButton {
                objectName: "instructionHome"
                icon: "◀"
                text: qsTr("Back")
                onTapped: root.nav.go_home()
            }
        }

        // A held order: said on every step until the deviation is decided.
        Rectangle {
            objectName: "instructionHeld"
            visible: root.instruction.held
            Layout.fillWidth: true
            implicitHeight: Math.max(heldRow.implicitHeight, Theme.touch) + Theme.gap
            color: Theme.stopped
            radius: Theme.radius
            RowLayout {
                id: heldRow
                anchors.fill: parent
                anchors.margins: Theme.gap / 2
                spacing: Theme.spacing
                Text {
                    objectName: "instructionHeldText"
                    text: "⚠ " + root.instruction.held_text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.stoppedText
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                TouchButton {
                    objectName: "instructionDeviations"
                    text: qsTr("Deviations")
                    onTapped: root.nav.open_screen("deviations")
                }
            }
        }

        Text {
            objectName: "instructionEmpty"
            visible: !root.instruction.has_instruction
            text: root.instruction.empty_text
            font.pixelSize: Theme.fontLarge
            color: Theme.muted
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            Layout.fillHeight: true
        }

        RowLayout {
            visible: root.instruction.has_instruction
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            // The step: text, callouts, the check's state and the signatures.
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3
                spacing: Theme.gap / 2
                Text {
                    objectName: "stepText"
                    text: root.instruction.step_text
                    font.pixelSize: Theme.fontLarge
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Repeater {
                    model: root.instruction.callouts
                    delegate: Rectangle {
                        id: callout
                        required property var modelData
                        required property int index
                        objectName: "callout" + index
                        Layout.fillWidth: true
                        implicitHeight: calloutText.implicitHeight + Theme.gap
                        color: Theme.raised
                        radius: Theme.radius
                        border.color: Theme.text
                        border.width: callout.modelData.kind === "note" ? 1 : 3
                        Text {
                            id: calloutText
                            objectName: "calloutText" + callout.index
                            anchors.verticalCenter: parent.verticalCenter
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.margins: Theme.gap
                            text: (callout.modelData.kind === "note" ? "" : "⚠ ") + callout.modelData.kind_text + ": " + callout.modelData.text
                            font.pixelSize: Theme.fontBody
                            font.bold: callout.modelData.kind !== "note"
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                    }
                }

                // What the check asks: name, limits, the value typed or recorded, its state.
                Rectangle {
                    objectName: "checkBox"
                    visible: root.instruction.check_kind.length > 0
                    Layout.fillWidth: true
                    implicitHeight: checkColumn.implicitHeight + Theme.gap
                    radius: Theme.radius
                    color: root.instruction.check_abnormal ? Theme.stopped : Theme.surface
                    border.color: Theme.line
                    ColumnLayout {
                        id: checkColumn
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.margins: Theme.gap
                        spacing: 0
                        Text {
                            objectName: "checkName"
                            text: root.instruction.check_name
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                        }
                        Text {
                            objectName: "checkLimits"
                            visible: root.instruction.limits_text.length > 0
                            text: root.instruction.limits_text
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                        }
                        Text {
                            objectName: "checkEntry"
                            visible: root.instruction.can_enter && (root.instruction.check_kind === "measurement")
                            text: (root.instruction.entry_abnormal ? "⚠ " : "") + (root.instruction.entry_text.length > 0 ? root.instruction.entry_text : "—")
                            font.pixelSize: Theme.fontHuge
                            font.bold: true
                            color: Theme.text
                        }
                        Rectangle {
                            visible: root.instruction.can_enter && root.instruction.check_kind === "text"
                            Layout.fillWidth: true
                            implicitHeight: Theme.touch
                            color: Theme.raised
                            border.color: Theme.line
                            radius: Theme.radius
                            TextInput {
                                objectName: "checkText"
                                anchors.fill: parent
                                anchors.margins: Theme.gap
                                verticalAlignment: TextInput.AlignVCenter
                                font.pixelSize: Theme.fontBody
                                color: Theme.text
                                text: root.instruction.entry_text
                                onTextEdited: root.instruction.set_text(text)
                            }
                        }
                        Text {
                            objectName: "checkValue"
                            visible: root.instruction.check_value_text.length > 0
                            text: (root.instruction.check_abnormal ? "⚠ " : "") + root.instruction.check_value_text
                            font.pixelSize: Theme.fontHuge
                            font.bold: true
                            color: Theme.text
                        }
                        Text {
                            objectName: "checkStatus"
                            visible: text.length > 0
                            text: root.instruction.check_status_text
                            font.pixelSize: Theme.fontBody
                            font.bold: root.instruction.check_abnormal
                            color: Theme.text
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                }

                // A critical step's signatures: each meaning, signed or still open.
                Repeater {
                    model: root.instruction.critical ? root.instruction.signs : []
                    delegate: Text {
                        required property var modelData
                        required property int index
                        objectName: "signLine" + index
                        text: (modelData.signed ? "✓ " : "○ ") + modelData.label + ": " + (modelData.signed ? modelData.signed_text : "—")
                        font.pixelSize: Theme.fontBody
                        font.bold: modelData.signed
                        color: Theme.text
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                }

                Text {
                    objectName: "stepDone"
                    visible: root.instruction.done
                    text: "✓ " + root.instruction.done_text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    objectName: "instructionMessage"
                    visible: text.length > 0
                    text: root.instruction.message.length > 0 ? "⚠ " + root.instruction.message : ""
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Item { Layout.fillHeight: true }
            }

            // The image (a tap enlarges it) and the entry: keypad or answer buttons.
            ColumnLayout {
                Layout.fillHeight: true
                Layout.preferredWidth: 2
                Layout.fillWidth: true
                spacing: Theme.spacing
                Rectangle {
                    objectName: "stepImageBox"
                    visible: root.instruction.image_source.length > 0 || root.instruction.image_text.length > 0
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: Theme.touch * 2
                    color: Theme.surface
                    radius: Theme.radius
                    border.color: Theme.line
                    Image {
                        id: stepImage
                        objectName: "stepImage"
                        anchors.fill: parent
                        anchors.margins: Theme.gap / 2
                        visible: root.instruction.image_source.length > 0
                        source: root.instruction.image_source
                        asynchronous: true
                        fillMode: Image.PreserveAspectFit
                        sourceSize.width: Math.max(1, root.width)  // the screen bounds the decoded size
                        sourceSize.height: Math.max(1, root.height)
                    }
                    Text {
                        objectName: "stepImageMissing"
                        anchors.centerIn: parent
                        visible: root.instruction.image_text.length > 0
                        text: root.instruction.image_text
                        font.pixelSize: Theme.fontBody
                        color: Theme.muted
                    }
                    TapHandler {
                        objectName: "stepImageTap"
                        gesturePolicy: TapHandler.ReleaseWithinBounds
                        enabled: root.instruction.image_source.length > 0
                        onTapped: root.instruction.open_image()
                    }
                }
                ColumnLayout {
                    visible: root.instruction.can_enter && root.instruction.check_kind === "measurement"
                    Layout.alignment: Qt.AlignHCenter
                    spacing: Theme.spacing
                    NumericKeypad {
                        namePrefix: "checkKey"
                        confirmText: qsTr("Save")
                        enabledState: !root.instruction.busy
                        onDigit: (value) => root.instruction.press(value)
                        onErase: root.instruction.backspace()
                        onConfirm: root.instruction.enter()
                    }
                    TouchButton {
                        objectName: "checkKeyPoint"
                        text: root.instruction.decimal_point
                        fontSize: Theme.fontLarge
                        enabledState: !root.instruction.busy
                        Layout.fillWidth: true
                        onTapped: root.instruction.press_decimal()
                    }
                }
                TouchButton {
                    objectName: "checkTextSave"
                    visible: root.instruction.can_enter && root.instruction.check_kind === "text"
                    text: qsTr("Save")
                    primary: true
                    Layout.fillWidth: true
                    onTapped: root.instruction.enter()
                }
                Repeater {
                    model: root.instruction.can_enter ? root.instruction.choices : []
                    delegate: TouchButton {
                        required property var modelData
                        objectName: "checkChoice_" + modelData.value
                        text: modelData.label
                        fontSize: Theme.fontLarge
                        enabledState: !root.instruction.busy
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.touch * 1.5
                        onTapped: root.instruction.choose(modelData.value)
                    }
                }
            }
        }

        RowLayout {
            visible: root.instruction.has_instruction
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                objectName: "stepBack"
                icon: "◀"
                text: qsTr("Previous step")
                enabledState: root.instruction.can_back
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.instruction.back()
            }
            Item { Layout.fillWidth: true }
            TouchButton {
                objectName: "stepConfirm"
                visible: root.instruction.can_confirm
                text: qsTr("Confirm step")
                primary: true
                enabledState: !root.instruction.busy
                Layout.preferredWidth: Theme.touch * 5
                onTapped: root.instruction.confirm()
            }
            TouchButton {
                objectName: "stepSign"
                visible: root.instruction.can_sign
                text: root.instruction.sign_text
                primary: true
                enabledState: !root.instruction.busy
                Layout.preferredWidth: Theme.touch * 5
                onTapped: root.instruction.sign()
            }
            Item { Layout.fillWidth: true }
            TouchButton {
                objectName: "stepNext"
                text: qsTr("Next step") + "  ▶"
                enabledState: root.instruction.can_next
                Layout.preferredWidth: Theme.touch * 4
                onTapped: root.instruction.next()
            }
        }
    }
}
