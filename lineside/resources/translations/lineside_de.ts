<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AbortOrderView</name>
    <message>
        <location filename="../../views/AbortOrderView.qml" line="60"/>
        <source>More words (optional)</source>
        <translation>Weitere Angaben (freiwillig)</translation>
    </message>
    <message>
        <location filename="../../views/AbortOrderView.qml" line="82"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/AbortOrderView.qml" line="88"/>
        <source>Abort order</source>
        <translation>Auftrag abbrechen</translation>
    </message>
</context>
<context>
    <name>AbortReason</name>
    <message>
        <location filename="../../viewmodels/orders.py" line="99"/>
        <source>Cancelled by planning</source>
        <translation>Von der Planung storniert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="100"/>
        <source>Material missing</source>
        <translation>Material fehlt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="101"/>
        <source>Machine cannot run it</source>
        <translation>Maschine kann ihn nicht fertigen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="102"/>
        <source>Quality problem</source>
        <translation>Qualitätsproblem</translation>
    </message>
</context>
<context>
    <name>Callout</name>
    <message>
        <location filename="../../viewmodels/instruction.py" line="41"/>
        <source>Safety</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="42"/>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="43"/>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="275"/>
        <source>Machine stop</source>
        <translation>Maschinenstillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="276"/>
        <source>Starved (no material in)</source>
        <translation>Mangel (kein Material)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="277"/>
        <source>Blocked (output full)</source>
        <translation>Stau (Auslauf voll)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="278"/>
        <source>Planned stop</source>
        <translation>Geplanter Stillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="279"/>
        <source>State unknown (no connection)</source>
        <translation>Zustand unbekannt (keine Verbindung)</translation>
    </message>
</context>
<context>
    <name>Check</name>
    <message>
        <location filename="../../viewmodels/instruction.py" line="66"/>
        <source>at least %1</source>
        <translation>mindestens %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="70"/>
        <source>at most %1</source>
        <translation>höchstens %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="76"/>
        <source>target %1</source>
        <translation>Soll %1</translation>
    </message>
</context>
<context>
    <name>CompleteOrderView</name>
    <message>
        <location filename="../../views/CompleteOrderView.qml" line="39"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/CompleteOrderView.qml" line="45"/>
        <source>Complete order</source>
        <translation>Auftrag abschließen</translation>
    </message>
</context>
<context>
    <name>Containment</name>
    <message>
        <location filename="../../viewmodels/instruction.py" line="50"/>
        <source>Continue production</source>
        <translation>Produktion fortsetzen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="51"/>
        <source>Hold the batch</source>
        <translation>Charge sperren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="52"/>
        <source>Stop the line</source>
        <translation>Linie stoppen</translation>
    </message>
</context>
<context>
    <name>ContainmentView</name>
    <message>
        <location filename="../../views/ContainmentView.qml" line="47"/>
        <source>Back to the entry</source>
        <translation>Zurück zur Eingabe</translation>
    </message>
</context>
<context>
    <name>Decision</name>
    <message>
        <location filename="../../viewmodels/instruction.py" line="641"/>
        <source>Use as is</source>
        <translation>Verwenden wie ist</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="642"/>
        <source>Rework</source>
        <translation>Nacharbeiten</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="643"/>
        <source>Scrap</source>
        <translation>Verschrotten</translation>
    </message>
</context>
<context>
    <name>DecisionWhy</name>
    <message>
        <location filename="../../viewmodels/deviations.py" line="29"/>
        <source>Measured again: within limits</source>
        <translation>Nachgemessen: innerhalb der Grenzen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="30"/>
        <source>Reworked and checked again</source>
        <translation>Nachgearbeitet und erneut geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="31"/>
        <source>Batch taken off the line</source>
        <translation>Charge von der Linie genommen</translation>
    </message>
</context>
<context>
    <name>DeviationView</name>
    <message>
        <location filename="../../views/DeviationView.qml" line="35"/>
        <source>Deviations and holds</source>
        <translation>Abweichungen und Sperren</translation>
    </message>
    <message>
        <location filename="../../views/DeviationView.qml" line="44"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/DeviationView.qml" line="59"/>
        <source>Signed: %1</source>
        <translation>Unterschrieben: %1</translation>
    </message>
    <message>
        <location filename="../../views/DeviationView.qml" line="154"/>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <location filename="../../views/DeviationView.qml" line="189"/>
        <source>Release the hold with the decision</source>
        <translation>Sperre mit der Entscheidung aufheben</translation>
    </message>
</context>
<context>
    <name>DeviationViewModel</name>
    <message>
        <location filename="../../viewmodels/deviations.py" line="125"/>
        <source>No open deviations or holds.</source>
        <translation>Keine offenen Abweichungen oder Sperren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="136"/>
        <source>at least %1</source>
        <translation>mindestens %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="138"/>
        <source>at most %1</source>
        <translation>höchstens %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="145"/>
        <source>%1: %2, limits %3</source>
        <translation>%1: %2, Grenzen %3</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="150"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="154"/>
        <source>Order %1 · opened %2 by %3 · %4</source>
        <translation>Auftrag %1 · eröffnet %2 von %3 · %4</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="163"/>
        <source>Order %1 held: %2</source>
        <translation>Auftrag %1 gesperrt: %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="164"/>
        <source>Held since %1</source>
        <translation>Gesperrt seit %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="189"/>
        <source>Release the hold and sign</source>
        <translation>Sperre aufheben und unterschreiben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/deviations.py" line="192"/>
        <source>Decide and sign</source>
        <translation>Entscheiden und unterschreiben</translation>
    </message>
</context>
<context>
    <name>EventType</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="414"/>
        <source>Stop started</source>
        <translation>Stillstand begonnen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="415"/>
        <source>Stop ended</source>
        <translation>Stillstand beendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="416"/>
        <source>PLC stop reason</source>
        <translation>SPS-Stillstandsgrund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="417"/>
        <source>Reason given</source>
        <translation>Grund angegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="418"/>
        <source>Reason changed</source>
        <translation>Grund geändert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="419"/>
        <source>Stop split</source>
        <translation>Stillstand geteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="420"/>
        <source>Reason left for later</source>
        <translation>Grund auf später verschoben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="421"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="422"/>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="423"/>
        <source>Machine link lost</source>
        <translation>Maschinenverbindung verloren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="424"/>
        <source>Machine link back</source>
        <translation>Maschinenverbindung wieder da</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="425"/>
        <source>Production counted</source>
        <translation>Produktion gezählt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="426"/>
        <source>Terminal started</source>
        <translation>Terminal gestartet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="427"/>
        <source>Order started</source>
        <translation>Auftrag gestartet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="428"/>
        <source>Order interrupted</source>
        <translation>Auftrag unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="429"/>
        <source>Order resumed</source>
        <translation>Auftrag fortgesetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="430"/>
        <source>Order completed</source>
        <translation>Auftrag abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="431"/>
        <source>Order aborted</source>
        <translation>Auftrag abgebrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="432"/>
        <source>Changeover ended</source>
        <translation>Umrüsten beendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="433"/>
        <source>Step confirmed</source>
        <translation>Schritt bestätigt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="434"/>
        <source>Signed</source>
        <translation>Unterschrieben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="435"/>
        <source>Wrong PIN</source>
        <translation>Falsche PIN</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="436"/>
        <source>Signing unlocked</source>
        <translation>Unterschrift entsperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="437"/>
        <source>Check recorded</source>
        <translation>Prüfung erfasst</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="438"/>
        <source>Quality deviation</source>
        <translation>Qualitätsabweichung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="439"/>
        <source>Deviation decided</source>
        <translation>Abweichung entschieden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="440"/>
        <source>Order held</source>
        <translation>Auftrag gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="441"/>
        <source>Hold released</source>
        <translation>Sperre aufgehoben</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../views/HeaderBar.qml" line="59"/>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="86"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="100"/>
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="114"/>
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="115"/>
        <source>Not saving</source>
        <translation>Speichert nicht</translation>
    </message>
</context>
<context>
    <name>HeaderDetailsView</name>
    <message>
        <location filename="../../views/HeaderDetailsView.qml" line="28"/>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderDetailsView.qml" line="41"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderDetailsView.qml" line="48"/>
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderDetailsView.qml" line="54"/>
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderDetailsView.qml" line="69"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>HomeButtons</name>
    <message>
        <location filename="../../views/HomeButtons.qml" line="22"/>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location filename="../../views/HomeButtons.qml" line="29"/>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <location filename="../../views/HomeButtons.qml" line="36"/>
        <source>Deviations</source>
        <translation>Abweichungen</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <location filename="../../views/ImageView.qml" line="22"/>
        <source>Tap to close</source>
        <translation>Tippen zum Schließen</translation>
    </message>
</context>
<context>
    <name>InputBlockedView</name>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="17"/>
        <source>This station cannot save new input</source>
        <translation>Diese Station kann keine neuen Eingaben speichern</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="33"/>
        <source>Call your team lead or IT.</source>
        <translation>Schichtführung oder IT rufen.</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="41"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>InstructionView</name>
    <message>
        <location filename="../../views/InstructionView.qml" line="36"/>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="53"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="82"/>
        <source>Deviations</source>
        <translation>Abweichungen</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="309"/>
        <location filename="../../views/InstructionView.qml" line="327"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="355"/>
        <source>Previous step</source>
        <translation>Voriger Schritt</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="364"/>
        <source>Confirm step</source>
        <translation>Schritt bestätigen</translation>
    </message>
    <message>
        <location filename="../../views/InstructionView.qml" line="382"/>
        <source>Next step</source>
        <translation>Nächster Schritt</translation>
    </message>
</context>
<context>
    <name>InstructionViewModel</name>
    <message>
        <location filename="../../viewmodels/instruction.py" line="239"/>
        <source>No order running. Start one on the order screen.</source>
        <translation>Kein Auftrag läuft. Starten Sie einen in der Auftragsansicht.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="241"/>
        <source>Order %1 has no work instruction.</source>
        <translation>Auftrag %1 hat keine Arbeitsanweisung.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="264"/>
        <source>%1 · version %2</source>
        <translation>%1 · Version %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="271"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="290"/>
        <source>Saved · %1</source>
        <translation>Gespeichert · %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="308"/>
        <source>Image not downloaded yet</source>
        <translation>Bild noch nicht geladen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="325"/>
        <location filename="../../viewmodels/instruction.py" line="348"/>
        <source>Pass</source>
        <translation>i. O.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="326"/>
        <location filename="../../viewmodels/instruction.py" line="348"/>
        <source>Fail</source>
        <translation>n. i. O.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="358"/>
        <source>Within limits · Saved</source>
        <translation>Innerhalb der Grenzen · Gespeichert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="365"/>
        <source>Out of limits</source>
        <translation>Außerhalb der Grenzen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="367"/>
        <source>Out of limits · Deviation decided: %1</source>
        <translation>Außerhalb der Grenzen · Abweichung entschieden: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="376"/>
        <source>Out of limits · Deviation opened — line stopped</source>
        <translation>Außerhalb der Grenzen · Abweichung eröffnet — Linie gestoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="378"/>
        <source>Out of limits · Deviation opened — held</source>
        <translation>Außerhalb der Grenzen · Abweichung eröffnet — gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="379"/>
        <source>Out of limits · Deviation opened — production continues</source>
        <translation>Außerhalb der Grenzen · Abweichung eröffnet — Produktion läuft weiter</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="408"/>
        <source>Sign: %1</source>
        <translation>Unterschreiben: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="420"/>
        <source>Order %1 held: %2. A team lead or quality person decides.</source>
        <translation>Auftrag %1 gesperrt: %2. Schichtführung oder Qualität entscheidet.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="552"/>
        <source>%1 %2 is out of limits: %3. What happens with the batch now?</source>
        <translation>%1 %2 liegt außerhalb der Grenzen: %3. Was geschieht jetzt mit der Charge?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/instruction.py" line="555"/>
        <source>fail</source>
        <translation>n. i. O.</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <location filename="../../viewmodels/orders.py" line="87"/>
        <source>Not released</source>
        <translation>Nicht freigegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="88"/>
        <source>Ready to start</source>
        <translation>Startbereit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="89"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="90"/>
        <source>Paused</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="91"/>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="92"/>
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>MachinePanel</name>
    <message>
        <location filename="../../views/MachinePanel.qml" line="65"/>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="67"/>
        <source>Good this shift</source>
        <translation>Gut in dieser Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="69"/>
        <source>Defective this shift</source>
        <translation>Ausschuss in dieser Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="71"/>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
</context>
<context>
    <name>MachineState</name>
    <message>
        <location filename="../../viewmodels/station.py" line="264"/>
        <location filename="../../viewmodels/station.py" line="265"/>
        <location filename="../../viewmodels/station.py" line="266"/>
        <source>Producing</source>
        <translation>Produziert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="267"/>
        <source>Held</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="268"/>
        <source>Holding</source>
        <translation>Hält an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="269"/>
        <source>Unholding</source>
        <translation>Läuft wieder an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="270"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="271"/>
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="272"/>
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="273"/>
        <source>Aborting</source>
        <translation>Bricht ab</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="274"/>
        <source>Suspended</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="275"/>
        <source>Suspending</source>
        <translation>Unterbricht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="276"/>
        <source>Unsuspending</source>
        <translation>Setzt fort</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="277"/>
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="278"/>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="279"/>
        <source>Resetting</source>
        <translation>Setzt zurück</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="280"/>
        <source>Clearing</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="281"/>
        <source>Complete</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="282"/>
        <source>Completing</source>
        <translation>Wird fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="283"/>
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="284"/>
        <source>Not producing</source>
        <translation>Produziert nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="285"/>
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="286"/>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="291"/>
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="294"/>
        <source>State %1</source>
        <translation>Zustand %1</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../views/NumericKeypad.qml" line="9"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>OrderQueueView</name>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="35"/>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="44"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="93"/>
        <source>Held: a deviation waits for its decision</source>
        <translation>Gesperrt: eine Abweichung wartet auf Entscheidung</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="103"/>
        <source>Pause</source>
        <translation>Unterbrechen</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="110"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="118"/>
        <source>Complete</source>
        <translation>Abschließen</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="233"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="242"/>
        <source>Abort</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/OrderQueueView.qml" line="252"/>
        <source>No orders for this station</source>
        <translation>Keine Aufträge für diese Station</translation>
    </message>
</context>
<context>
    <name>OrderQueueViewModel</name>
    <message>
        <location filename="../../viewmodels/orders.py" line="200"/>
        <source>No order running</source>
        <translation>Kein Auftrag läuft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="239"/>
        <source>%1 defective</source>
        <translation>%1 Ausschuss</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="256"/>
        <source>Due %1</source>
        <translation>Fällig %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="258"/>
        <source>Held</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="261"/>
        <source>Cancelled on the server — call your team lead</source>
        <translation>Auf dem Server storniert — Schichtführung rufen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="276"/>
        <source>Changeover from %1 · %2 min</source>
        <translation>Umrüsten von %1 · %2 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="282"/>
        <source>(standard %1 min)</source>
        <translation>(Vorgabe %1 min)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="326"/>
        <source>Complete order %1?
Made: %2 good, %3 defective.
Ordered: %4 %5.</source>
        <translation>Auftrag %1 abschließen?
Gefertigt: %2 gut, %3 Ausschuss.
Bestellt: %4 %5.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/orders.py" line="358"/>
        <source>Abort order %1 · %2? Why:</source>
        <translation>Auftrag %1 · %2 abbrechen? Warum:</translation>
    </message>
</context>
<context>
    <name>ReasonPromptView</name>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="65"/>
        <source>Suggested: %1</source>
        <translation>Vorschlag: %1</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="77"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="132"/>
        <source>Later</source>
        <translation>Später</translation>
    </message>
</context>
<context>
    <name>ReasonPromptViewModel</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="145"/>
        <source>%1 stopped. Why?</source>
        <translation>%1 steht. Warum?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="147"/>
        <source>Why did %1 stop?</source>
        <translation>Warum stand %1?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="148"/>
        <source>Since %1 · %2</source>
        <translation>Seit %1 · %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="151"/>
        <source>%1 to %2 · %3</source>
        <translation>%1 bis %2 · %3</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="157"/>
        <source>Machine reports: %1</source>
        <translation>Maschine meldet: %1</translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <location filename="../../viewmodels/base.py" line="118"/>
        <source>Wrong PIN. 1 attempt left before signing is locked.</source>
        <translation>Falsche PIN. Noch 1 Versuch, bevor das Unterschreiben gesperrt wird.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="121"/>
        <source>Wrong PIN. %1 attempts left before signing is locked.</source>
        <translation>Falsche PIN. Noch %1 Versuche, bevor das Unterschreiben gesperrt wird.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="125"/>
        <source>Not saved: %1 entries are waiting for the server, as many as this station may hold. Call your team lead (sync screen); the entry stays on screen.</source>
        <translation>Nicht gespeichert: %1 Einträge warten auf den Server, so viele, wie diese Station halten darf. Rufen Sie Ihren Schichtleiter (Sync-Ansicht); der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="130"/>
        <source>Not saved: the station cannot write its record. Call your team lead; the entry stays on screen.</source>
        <translation>Nicht gespeichert: Die Station kann ihre Aufzeichnung nicht schreiben. Rufen Sie Ihren Schichtleiter; der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="135"/>
        <source>This stop is no longer in today&apos;s list. Refresh the stop list.</source>
        <translation>Dieser Stillstand ist nicht mehr in der heutigen Liste. Aktualisieren Sie die Liste.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="138"/>
        <source>Reason %1 is not in this machine&apos;s reason list.</source>
        <translation>Grund %1 ist nicht in der Grundliste dieser Maschine.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="141"/>
        <source>Choose a split time between the start and the end of the stop.</source>
        <translation>Wählen Sie eine Teilungszeit zwischen Beginn und Ende des Stillstands.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="144"/>
        <source>Sign in first (tap Signed in).</source>
        <translation>Zuerst anmelden (auf „Angemeldet“ tippen).</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="145"/>
        <source>Order %1 is not in this station&apos;s list any more.</source>
        <translation>Auftrag %1 ist nicht mehr in der Liste dieser Station.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="148"/>
        <source>Order %1 cannot do that in its state now.</source>
        <translation>Auftrag %1 kann das in seinem Zustand jetzt nicht.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="151"/>
        <source>Order %1 is running: complete or pause it before starting another.</source>
        <translation>Auftrag %1 läuft: erst abschließen oder unterbrechen, dann einen anderen starten.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="154"/>
        <source>No order is running.</source>
        <translation>Es läuft kein Auftrag.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="155"/>
        <source>Only a team lead may do this. Call your team lead.</source>
        <translation>Das darf nur die Schichtführung. Schichtführung rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="158"/>
        <source>Say why first.</source>
        <translation>Zuerst den Grund angeben.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="159"/>
        <source>The order is held: a team lead or quality person decides the deviation and releases the hold first.</source>
        <translation>Der Auftrag ist gesperrt: Schichtführung oder Qualität entscheidet zuerst die Abweichung und hebt die Sperre auf.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="164"/>
        <source>This badge is not known. Check the number.</source>
        <translation>Dieser Ausweis ist unbekannt. Nummer prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="167"/>
        <source>Signing is locked for %1 after five wrong PINs. A team lead unlocks it.</source>
        <translation>Unterschreiben ist für %1 nach fünf falschen PINs gesperrt. Die Schichtführung entsperrt es.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="171"/>
        <source>%1 has no signing PIN. Ask your team lead.</source>
        <translation>%1 hat keine Unterschrifts-PIN. Schichtführung fragen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="174"/>
        <source>Enter your badge number, then your PIN.</source>
        <translation>Ausweisnummer eingeben, dann die PIN.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="177"/>
        <source>%1 signed this step already: another person signs this meaning.</source>
        <translation>%1 hat diesen Schritt schon unterschrieben: eine andere Person unterschreibt hier.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="180"/>
        <source>%1 may not decide: a team lead or quality person signs the decision.</source>
        <translation>%1 darf nicht entscheiden: Schichtführung oder Qualität unterschreibt die Entscheidung.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="183"/>
        <source>The running order has no work instruction.</source>
        <translation>Der laufende Auftrag hat keine Arbeitsanweisung.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="186"/>
        <source>This step is not in the instruction any more.</source>
        <translation>Dieser Schritt ist nicht mehr in der Anweisung.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="189"/>
        <source>Record the check and the signatures of this step first.</source>
        <translation>Zuerst die Prüfung und die Unterschriften dieses Schritts erfassen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="192"/>
        <source>This step is done already.</source>
        <translation>Dieser Schritt ist schon erledigt.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="193"/>
        <source>%1 is not a number.</source>
        <translation>%1 ist keine Zahl.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="194"/>
        <source>%1 is not one of the choices.</source>
        <translation>%1 ist keine der Auswahlen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="195"/>
        <source>Enter a value first.</source>
        <translation>Zuerst einen Wert eingeben.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="196"/>
        <source>This deviation is not known here.</source>
        <translation>Diese Abweichung ist hier unbekannt.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="199"/>
        <source>This deviation is decided already.</source>
        <translation>Diese Abweichung ist schon entschieden.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="202"/>
        <source>This hold is not known here.</source>
        <translation>Diese Sperre ist hier unbekannt.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="206"/>
        <source>Not saved (%1).</source>
        <translation>Nicht gespeichert (%1).</translation>
    </message>
</context>
<context>
    <name>RolePanel</name>
    <message>
        <location filename="../../views/RolePanel.qml" line="26"/>
        <source>Team lead</source>
        <translation>Schichtführung</translation>
    </message>
    <message>
        <location filename="../../views/RolePanel.qml" line="26"/>
        <source>Maintenance</source>
        <translation>Instandhaltung</translation>
    </message>
    <message numerus="yes">
        <location filename="../../views/RolePanel.qml" line="34"/>
        <source>%n stops without reason</source>
        <translation>
            <numerusform>%n Stillstand ohne Grund</numerusform>
            <numerusform>%n Stillstände ohne Grund</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../views/RolePanel.qml" line="60"/>
        <source>Sync and refused entries</source>
        <translation>Sync und abgelehnte Einträge</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <location filename="../../views/SignInView.qml" line="15"/>
        <source>Sign in with your badge number</source>
        <translation>Mit Ausweisnummer anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="50"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="60"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="66"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>SignInViewModel</name>
    <message>
        <location filename="../../viewmodels/sign_in.py" line="69"/>
        <source>Badge %1 is not known. Check the number or ask your team lead.</source>
        <translation>Ausweis %1 ist unbekannt. Nummer prüfen oder Schichtführung fragen.</translation>
    </message>
</context>
<context>
    <name>Signature</name>
    <message>
        <location filename="../../viewmodels/signature.py" line="31"/>
        <source>Performed</source>
        <translation>Durchgeführt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="32"/>
        <source>Verified</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="33"/>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="40"/>
        <source>Performed by</source>
        <translation>Durchgeführt von</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="41"/>
        <source>Verified by</source>
        <translation>Geprüft von</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="42"/>
        <source>Approved by</source>
        <translation>Freigegeben von</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="101"/>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="101"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="110"/>
        <source>Another person signs</source>
        <translation>Eine andere Person unterschreibt</translation>
    </message>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="117"/>
        <source>Unlock signing (team lead)</source>
        <translation>Unterschrift entsperren (Schichtführung)</translation>
    </message>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="123"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../views/SignatureDialog.qml" line="123"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>SignatureViewModel</name>
    <message>
        <location filename="../../viewmodels/signature.py" line="141"/>
        <location filename="../../viewmodels/signature.py" line="168"/>
        <source>Badge number of the person signing</source>
        <translation>Ausweisnummer der unterschreibenden Person</translation>
    </message>
    <message>
        <location filename="../../viewmodels/signature.py" line="152"/>
        <source>PIN of %1</source>
        <translation>PIN von %1</translation>
    </message>
</context>
<context>
    <name>SplitStopView</name>
    <message>
        <location filename="../../views/SplitStopView.qml" line="14"/>
        <source>Split stop</source>
        <translation>Stillstand teilen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="28"/>
        <source>−1 min</source>
        <translation>−1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="33"/>
        <source>−10 s</source>
        <translation>−10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="47"/>
        <source>+10 s</source>
        <translation>+10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="52"/>
        <source>+1 min</source>
        <translation>+1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="72"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="78"/>
        <source>Split here</source>
        <translation>Hier teilen</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <location filename="../../views/StationView.qml" line="21"/>
        <source>Lineside · %1</source>
        <translation>Lineside · %1</translation>
    </message>
</context>
<context>
    <name>StationViewModel</name>
    <message>
        <location filename="../../viewmodels/station.py" line="196"/>
        <source>No order</source>
        <translation>Kein Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="125"/>
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="133"/>
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="134"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="135"/>
        <source>Reconnecting</source>
        <translation>Verbinde neu</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="136"/>
        <source>No connection</source>
        <translation>Keine Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="146"/>
        <source>Connecting to the machine since %1.</source>
        <translation>Verbindung zur Maschine wird seit %1 aufgebaut.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="148"/>
        <source>No link to the machine since %1; trying again.</source>
        <translation>Keine Verbindung zur Maschine seit %1; neuer Versuch läuft.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="151"/>
        <source>No link to the machine since %1. Its stops are recorded as state unknown until it is back.</source>
        <translation>Keine Verbindung zur Maschine seit %1. Bis sie zurück ist, werden Stillstände als „Zustand unbekannt“ aufgezeichnet.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="169"/>
        <location filename="../../viewmodels/station.py" line="173"/>
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="180"/>
        <source>%1 · planned</source>
        <translation>%1 · geplant</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="205"/>
        <source>Held</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="214"/>
        <source>Order (config)</source>
        <translation>Auftrag (Konfig.)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="214"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="223"/>
        <source>No shift</source>
        <translation>Keine Schicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="238"/>
        <source>Saved: %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="242"/>
        <source>Nobody signed in</source>
        <translation>Niemand angemeldet</translation>
    </message>
</context>
<context>
    <name>StopListView</name>
    <message>
        <location filename="../../views/StopListView.qml" line="21"/>
        <source>Stops today</source>
        <translation>Stillstände heute</translation>
    </message>
    <message numerus="yes">
        <location filename="../../views/StopListView.qml" line="36"/>
        <source>%n without reason</source>
        <translation>
            <numerusform>%n ohne Grund</numerusform>
            <numerusform>%n ohne Grund</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="125"/>
        <source>Give reason</source>
        <translation>Grund angeben</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="125"/>
        <source>Change reason</source>
        <translation>Grund ändern</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="132"/>
        <source>Split</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="141"/>
        <source>No stops today</source>
        <translation>Heute keine Stillstände</translation>
    </message>
</context>
<context>
    <name>StopListViewModel</name>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="261"/>
        <source>%1 (automatic)</source>
        <translation>%1 (automatisch)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="263"/>
        <source>No reason yet</source>
        <translation>Noch kein Grund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="271"/>
        <source>No connection %1 to %2</source>
        <translation>Keine Verbindung %1 bis %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="273"/>
        <location filename="../../viewmodels/stop_list.py" line="280"/>
        <location filename="../../viewmodels/stop_list.py" line="329"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="298"/>
        <source>coded %1</source>
        <translation>begründet: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="302"/>
        <source>changed %1 → %2</source>
        <translation>geändert: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="310"/>
        <source>split at %1</source>
        <translation>geteilt um %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="314"/>
        <source>split off</source>
        <translation>abgeteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="334"/>
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="346"/>
        <source>This stop is too short to split.</source>
        <translation>Dieser Stillstand ist zu kurz zum Teilen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="327"/>
        <source>Stop from %1 to %2</source>
        <translation>Stillstand von %1 bis %2</translation>
    </message>
</context>
<context>
    <name>SyncError</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="447"/>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="448"/>
        <source>connection reset</source>
        <translation>Verbindung zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="449"/>
        <source>no route to the server</source>
        <translation>kein Weg zum Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="452"/>
        <source>the network is unreachable</source>
        <translation>das Netz ist nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="455"/>
        <source>connection timed out</source>
        <translation>Zeitüberschreitung der Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="456"/>
        <source>the server&apos;s name cannot be resolved</source>
        <translation>der Servername kann nicht aufgelöst werden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="459"/>
        <source>the connection broke before the server answered</source>
        <translation>die Verbindung brach ab, bevor der Server antwortete</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="462"/>
        <source>cannot connect</source>
        <translation>keine Verbindung möglich</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="471"/>
        <source>no answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="473"/>
        <source>the server&apos;s certificate is not trusted (%1)</source>
        <translation>dem Zertifikat des Servers wird nicht vertraut (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="477"/>
        <source>the secure connection failed (%1)</source>
        <translation>die sichere Verbindung ist fehlgeschlagen (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="486"/>
        <source>Server not reachable: %1</source>
        <translation>Server nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="492"/>
        <source>Server busy (%1)</source>
        <translation>Server ausgelastet (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="496"/>
        <source>Server error (%1)</source>
        <translation>Serverfehler (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="500"/>
        <source>The server refuses this station (%1): its id or token is wrong. Ask IT.</source>
        <translation>Der Server weist diese Station ab (%1): Ihre Kennung oder ihr Token ist falsch. IT fragen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="506"/>
        <source>The server refused this station&apos;s data as malformed (%1). Nothing is lost; tell IT.</source>
        <translation>Der Server hat Daten dieser Station als fehlerhaft abgelehnt (%1). Nichts geht verloren; IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="513"/>
        <source>Unexpected answer from the server (%1). Check the server address.</source>
        <translation>Unerwartete Antwort vom Server (%1). Serveradresse prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="519"/>
        <source>The server&apos;s answer was not understood. Tell IT.</source>
        <translation>Die Antwort des Servers war unverständlich. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="526"/>
        <source>The server confirmed none of the events %1 to %2. Tell IT.</source>
        <translation>Der Server hat keinen der Einträge %1 bis %2 bestätigt. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="537"/>
        <source>The server already holds this station&apos;s events up to no. %1, but the station&apos;s record ends at no. %2: its database was replaced or restored. Ask IT; nothing is sent until this is fixed.</source>
        <translation>Der Server hat von dieser Station schon Einträge bis Nr. %1, die Aufzeichnung der Station endet aber bei Nr. %2: Ihre Datenbank wurde ersetzt oder wiederhergestellt. IT fragen; bis das behoben ist, wird nichts gesendet.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="551"/>
        <source>The server keeps refusing the order of this station&apos;s events (it expects no. %1, the station sent %2 to %3). Tell IT.</source>
        <translation>Der Server lehnt die Reihenfolge der Einträge dieser Station weiter ab (er erwartet Nr. %1, die Station sandte %2 bis %3). IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="564"/>
        <source>The server&apos;s plant data was not understood. Tell IT.</source>
        <translation>Die Werksdaten des Servers waren unverständlich. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="570"/>
        <source>The station record cannot be read or written (%1).</source>
        <translation>Die Aufzeichnung der Station kann nicht gelesen oder geschrieben werden (%1).</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="576"/>
        <source>The CA certificate %1 cannot be used. Check the station config.</source>
        <translation>Das CA-Zertifikat %1 ist nicht verwendbar. Stationskonfiguration prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="582"/>
        <source>The server address %1 is not valid. Check the station config.</source>
        <translation>Die Serveradresse %1 ist ungültig. Stationskonfiguration prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="588"/>
        <source>Sync failed unexpectedly. Tell IT.</source>
        <translation>Sync unerwartet fehlgeschlagen. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="603"/>
        <source>No server configured: add [server] to the station config (docs/station-config.md). Everything is kept on this station until then.</source>
        <translation>Kein Server eingerichtet: [server] in der Stationskonfiguration ergänzen (docs/station-config.md). Bis dahin bleibt alles auf dieser Station.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="609"/>
        <source>The server does not accept this station&apos;s token. Ask IT for a new one.</source>
        <translation>Der Server akzeptiert das Token dieser Station nicht. Bei der IT ein neues anfordern.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="613"/>
        <source>Plant data not refreshed: %1</source>
        <translation>Werksdaten nicht aktualisiert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="620"/>
        <source>Trying again in %1 s.</source>
        <translation>Neuer Versuch in %1 s.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="632"/>
        <source>%1 entries are waiting for the server (at most %2 may wait): new entries are refused until the station reaches the server. Machine stops are still recorded.</source>
        <translation>%1 Einträge warten auf den Server (höchstens %2 dürfen warten): Neue Eingaben werden abgelehnt, bis die Station den Server erreicht. Stillstände der Maschine werden weiter aufgezeichnet.</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../../views/SyncView.qml" line="44"/>
        <source>Input blocked:</source>
        <translation>Eingabe gesperrt:</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="65"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="201"/>
        <source>Sending again</source>
        <translation>Wird erneut gesendet</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="237"/>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="247"/>
        <source>The server has refused nothing</source>
        <translation>Der Server hat nichts abgewiesen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="271"/>
        <source>Retry all</source>
        <translation>Alle wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="279"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="287"/>
        <source>Send now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="294"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>SyncViewModel</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="133"/>
        <location filename="../../viewmodels/sync.py" line="239"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="169"/>
        <location filename="../../viewmodels/sync.py" line="170"/>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="175"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="175"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="178"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="178"/>
        <source>All sent</source>
        <translation>Alles gesendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="182"/>
        <source>oldest %1</source>
        <translation>ältestes %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="187"/>
        <source>%n quarantined</source>
        <translation>
            <numerusform>%n in Quarantäne</numerusform>
            <numerusform>%n in Quarantäne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="189"/>
        <source>Nothing quarantined</source>
        <translation>Nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="194"/>
        <source>Last delivered %1</source>
        <translation>Zuletzt übertragen %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="196"/>
        <source>Nothing delivered yet</source>
        <translation>Noch nichts übertragen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="200"/>
        <source>Next try at %1 (in %2)</source>
        <translation>Nächster Versuch um %1 (in %2)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="208"/>
        <source>Plant data from %1 (%2 old)</source>
        <translation>Werksdaten von %1 (%2 alt)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="212"/>
        <source>No plant data yet — using the station&apos;s files</source>
        <translation>Noch keine Werksdaten — die Station nutzt ihre eigenen Dateien</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="250"/>
        <source>Server · %1</source>
        <translation>Server · %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="260"/>
        <source>Input blocked</source>
        <translation>Eingabe gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="254"/>
        <source>Clock off</source>
        <translation>Uhr falsch</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="268"/>
        <source>The station clock is %1 s ahead of the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server vor. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="270"/>
        <source>The station clock is %1 s behind the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server nach. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="291"/>
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="293"/>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="297"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="299"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="302"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="303"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="324"/>
        <source>Trying the server now</source>
        <translation>Server wird jetzt versucht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="347"/>
        <source>Sign in as team lead to retry or export</source>
        <translation>Als Schichtführung anmelden, um zu wiederholen oder zu exportieren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="356"/>
        <source>Nothing to send again</source>
        <translation>Nichts zu wiederholen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="361"/>
        <source>Could not send again: %1</source>
        <translation>Wiederholen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="365"/>
        <source>Sending 1 event again</source>
        <translation>1 Ereignis wird erneut gesendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="367"/>
        <source>Sending %n events again</source>
        <translation>
            <numerusform>%n Ereignis wird erneut gesendet</numerusform>
            <numerusform>%n Ereignisse werden erneut gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="373"/>
        <source>This station has no server, so nothing is quarantined</source>
        <translation>Diese Station hat keinen Server, also ist nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="379"/>
        <source>Could not export: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="381"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="393"/>
        <source>Could not read the quarantine: %1</source>
        <translation>Quarantäne nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="406"/>
        <source>Attempts: %1</source>
        <translation>Versuche: %1</translation>
    </message>
</context>
</TS>
