<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Category</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="243"/>
        <source>Machine stop</source>
        <translation>Maschinenstillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="244"/>
        <source>Starved (no material in)</source>
        <translation>Mangel (kein Material)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="245"/>
        <source>Blocked (output full)</source>
        <translation>Stau (Auslauf voll)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="246"/>
        <source>Planned stop</source>
        <translation>Geplanter Stillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="247"/>
        <source>State unknown (no connection)</source>
        <translation>Zustand unbekannt (keine Verbindung)</translation>
    </message>
</context>
<context>
    <name>EventType</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="413"/>
        <source>Stop started</source>
        <translation>Stillstand begonnen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="414"/>
        <source>Stop ended</source>
        <translation>Stillstand beendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="415"/>
        <source>PLC stop reason</source>
        <translation>SPS-Stillstandsgrund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="416"/>
        <source>Reason given</source>
        <translation>Grund angegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="417"/>
        <source>Reason changed</source>
        <translation>Grund geändert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="418"/>
        <source>Stop split</source>
        <translation>Stillstand geteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="419"/>
        <source>Reason left for later</source>
        <translation>Grund auf später verschoben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="420"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="421"/>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="422"/>
        <source>Machine link lost</source>
        <translation>Maschinenverbindung verloren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="423"/>
        <source>Machine link back</source>
        <translation>Maschinenverbindung wieder da</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="424"/>
        <source>Production counted</source>
        <translation>Produktion gezählt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="425"/>
        <source>Terminal started</source>
        <translation>Terminal gestartet</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../views/HeaderBar.qml" line="34"/>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="53"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="66"/>
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="77"/>
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="78"/>
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
    <name>MachinePanel</name>
    <message>
        <location filename="../../views/MachinePanel.qml" line="62"/>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="64"/>
        <source>Good this shift</source>
        <translation>Gut in dieser Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="66"/>
        <source>Defective this shift</source>
        <translation>Ausschuss in dieser Schicht</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="68"/>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
</context>
<context>
    <name>MachineState</name>
    <message>
        <location filename="../../viewmodels/station.py" line="238"/>
        <location filename="../../viewmodels/station.py" line="239"/>
        <location filename="../../viewmodels/station.py" line="240"/>
        <source>Producing</source>
        <translation>Produziert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="241"/>
        <source>Held</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="242"/>
        <source>Holding</source>
        <translation>Hält an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="243"/>
        <source>Unholding</source>
        <translation>Läuft wieder an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="244"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="245"/>
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="246"/>
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="247"/>
        <source>Aborting</source>
        <translation>Bricht ab</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="248"/>
        <source>Suspended</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="249"/>
        <source>Suspending</source>
        <translation>Unterbricht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="250"/>
        <source>Unsuspending</source>
        <translation>Setzt fort</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="251"/>
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="252"/>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="253"/>
        <source>Resetting</source>
        <translation>Setzt zurück</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="254"/>
        <source>Clearing</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="255"/>
        <source>Complete</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="256"/>
        <source>Completing</source>
        <translation>Wird fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="257"/>
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="258"/>
        <source>Not producing</source>
        <translation>Produziert nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="259"/>
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="260"/>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="265"/>
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="268"/>
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
        <location filename="../../viewmodels/reason_prompt.py" line="114"/>
        <source>%1 stopped. Why?</source>
        <translation>%1 steht. Warum?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="116"/>
        <source>Why did %1 stop?</source>
        <translation>Warum stand %1?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="117"/>
        <source>Since %1 · %2</source>
        <translation>Seit %1 · %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="120"/>
        <source>%1 to %2 · %3</source>
        <translation>%1 bis %2 · %3</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="126"/>
        <source>Machine reports: %1</source>
        <translation>Maschine meldet: %1</translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <location filename="../../viewmodels/base.py" line="105"/>
        <source>Not saved: %1 entries are waiting for the server, as many as this station may hold. Call your team lead (sync screen); the entry stays on screen.</source>
        <translation>Nicht gespeichert: %1 Einträge warten auf den Server, so viele, wie diese Station halten darf. Rufen Sie Ihren Schichtleiter (Sync-Ansicht); der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="110"/>
        <source>Not saved: the station cannot write its record. Call your team lead; the entry stays on screen.</source>
        <translation>Nicht gespeichert: Die Station kann ihre Aufzeichnung nicht schreiben. Rufen Sie Ihren Schichtleiter; der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="115"/>
        <source>This stop is no longer in today&apos;s list. Refresh the stop list.</source>
        <translation>Dieser Stillstand ist nicht mehr in der heutigen Liste. Aktualisieren Sie die Liste.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="118"/>
        <source>Reason %1 is not in this machine&apos;s reason list.</source>
        <translation>Grund %1 ist nicht in der Grundliste dieser Maschine.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="121"/>
        <source>Choose a split time between the start and the end of the stop.</source>
        <translation>Wählen Sie eine Teilungszeit zwischen Beginn und Ende des Stillstands.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="127"/>
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
        <location filename="../../views/RolePanel.qml" line="33"/>
        <source>%n stops without reason</source>
        <translation>
            <numerusform>%n Stillstand ohne Grund</numerusform>
            <numerusform>%n Stillstände ohne Grund</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../views/RolePanel.qml" line="59"/>
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
        <location filename="../../viewmodels/sign_in.py" line="67"/>
        <source>Badge %1 is not known. Check the number or ask your team lead.</source>
        <translation>Ausweis %1 ist unbekannt. Nummer prüfen oder Schichtführung fragen.</translation>
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
        <location filename="../../views/StationView.qml" line="17"/>
        <source>Lineside · %1</source>
        <translation>Lineside · %1</translation>
    </message>
</context>
<context>
    <name>StationViewModel</name>
    <message>
        <location filename="../../viewmodels/station.py" line="187"/>
        <source>No order</source>
        <translation>Kein Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="119"/>
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="127"/>
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="128"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="129"/>
        <source>Reconnecting</source>
        <translation>Verbinde neu</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="130"/>
        <source>No connection</source>
        <translation>Keine Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="140"/>
        <source>Connecting to the machine since %1.</source>
        <translation>Verbindung zur Maschine wird seit %1 aufgebaut.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="142"/>
        <source>No link to the machine since %1; trying again.</source>
        <translation>Keine Verbindung zur Maschine seit %1; neuer Versuch läuft.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="145"/>
        <source>No link to the machine since %1. Its stops are recorded as state unknown until it is back.</source>
        <translation>Keine Verbindung zur Maschine seit %1. Bis sie zurück ist, werden Stillstände als „Zustand unbekannt“ aufgezeichnet.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="163"/>
        <location filename="../../viewmodels/station.py" line="167"/>
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="174"/>
        <source>%1 · planned</source>
        <translation>%1 · geplant</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="190"/>
        <source>Order (config)</source>
        <translation>Auftrag (Konfig.)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="190"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="199"/>
        <source>No shift</source>
        <translation>Keine Schicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="214"/>
        <source>Saved: %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="218"/>
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
        <location filename="../../views/StopListView.qml" line="123"/>
        <source>Give reason</source>
        <translation>Grund angeben</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="123"/>
        <source>Change reason</source>
        <translation>Grund ändern</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="130"/>
        <source>Split</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="139"/>
        <source>No stops today</source>
        <translation>Heute keine Stillstände</translation>
    </message>
</context>
<context>
    <name>StopListViewModel</name>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="214"/>
        <source>%1 (automatic)</source>
        <translation>%1 (automatisch)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="216"/>
        <source>No reason yet</source>
        <translation>Noch kein Grund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="224"/>
        <source>No connection %1 to %2</source>
        <translation>Keine Verbindung %1 bis %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="226"/>
        <location filename="../../viewmodels/stop_list.py" line="233"/>
        <location filename="../../viewmodels/stop_list.py" line="282"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="251"/>
        <source>coded %1</source>
        <translation>begründet: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="255"/>
        <source>changed %1 → %2</source>
        <translation>geändert: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="263"/>
        <source>split at %1</source>
        <translation>geteilt um %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="267"/>
        <source>split off</source>
        <translation>abgeteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="287"/>
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="299"/>
        <source>This stop is too short to split.</source>
        <translation>Dieser Stillstand ist zu kurz zum Teilen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="280"/>
        <source>Stop from %1 to %2</source>
        <translation>Stillstand von %1 bis %2</translation>
    </message>
</context>
<context>
    <name>SyncError</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="431"/>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="432"/>
        <source>connection reset</source>
        <translation>Verbindung zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="433"/>
        <source>no route to the server</source>
        <translation>kein Weg zum Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="436"/>
        <source>the network is unreachable</source>
        <translation>das Netz ist nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="439"/>
        <source>connection timed out</source>
        <translation>Zeitüberschreitung der Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="440"/>
        <source>the server&apos;s name cannot be resolved</source>
        <translation>der Servername kann nicht aufgelöst werden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="443"/>
        <source>the connection broke before the server answered</source>
        <translation>die Verbindung brach ab, bevor der Server antwortete</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="446"/>
        <source>cannot connect</source>
        <translation>keine Verbindung möglich</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="455"/>
        <source>no answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="457"/>
        <source>the server&apos;s certificate is not trusted (%1)</source>
        <translation>dem Zertifikat des Servers wird nicht vertraut (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="461"/>
        <source>the secure connection failed (%1)</source>
        <translation>die sichere Verbindung ist fehlgeschlagen (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="470"/>
        <source>Server not reachable: %1</source>
        <translation>Server nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="476"/>
        <source>Server busy (%1)</source>
        <translation>Server ausgelastet (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="480"/>
        <source>Server error (%1)</source>
        <translation>Serverfehler (%1)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="484"/>
        <source>The server refuses this station (%1): its id or token is wrong. Ask IT.</source>
        <translation>Der Server weist diese Station ab (%1): Ihre Kennung oder ihr Token ist falsch. IT fragen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="490"/>
        <source>The server refused this station&apos;s data as malformed (%1). Nothing is lost; tell IT.</source>
        <translation>Der Server hat Daten dieser Station als fehlerhaft abgelehnt (%1). Nichts geht verloren; IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="497"/>
        <source>Unexpected answer from the server (%1). Check the server address.</source>
        <translation>Unerwartete Antwort vom Server (%1). Serveradresse prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="503"/>
        <source>The server&apos;s answer was not understood. Tell IT.</source>
        <translation>Die Antwort des Servers war unverständlich. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="510"/>
        <source>The server confirmed none of the events %1 to %2. Tell IT.</source>
        <translation>Der Server hat keinen der Einträge %1 bis %2 bestätigt. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="521"/>
        <source>The server already holds this station&apos;s events up to no. %1, but the station&apos;s record ends at no. %2: its database was replaced or restored. Ask IT; nothing is sent until this is fixed.</source>
        <translation>Der Server hat von dieser Station schon Einträge bis Nr. %1, die Aufzeichnung der Station endet aber bei Nr. %2: Ihre Datenbank wurde ersetzt oder wiederhergestellt. IT fragen; bis das behoben ist, wird nichts gesendet.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="535"/>
        <source>The server keeps refusing the order of this station&apos;s events (it expects no. %1, the station sent %2 to %3). Tell IT.</source>
        <translation>Der Server lehnt die Reihenfolge der Einträge dieser Station weiter ab (er erwartet Nr. %1, die Station sandte %2 bis %3). IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="548"/>
        <source>The server&apos;s plant data was not understood. Tell IT.</source>
        <translation>Die Werksdaten des Servers waren unverständlich. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="554"/>
        <source>The station record cannot be read or written (%1).</source>
        <translation>Die Aufzeichnung der Station kann nicht gelesen oder geschrieben werden (%1).</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="560"/>
        <source>The CA certificate %1 cannot be used. Check the station config.</source>
        <translation>Das CA-Zertifikat %1 ist nicht verwendbar. Stationskonfiguration prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="566"/>
        <source>The server address %1 is not valid. Check the station config.</source>
        <translation>Die Serveradresse %1 ist ungültig. Stationskonfiguration prüfen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="572"/>
        <source>Sync failed unexpectedly. Tell IT.</source>
        <translation>Sync unerwartet fehlgeschlagen. IT informieren.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="587"/>
        <source>No server configured: add [server] to the station config (docs/station-config.md). Everything is kept on this station until then.</source>
        <translation>Kein Server eingerichtet: [server] in der Stationskonfiguration ergänzen (docs/station-config.md). Bis dahin bleibt alles auf dieser Station.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="593"/>
        <source>The server does not accept this station&apos;s token. Ask IT for a new one.</source>
        <translation>Der Server akzeptiert das Token dieser Station nicht. Bei der IT ein neues anfordern.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="597"/>
        <source>Plant data not refreshed: %1</source>
        <translation>Werksdaten nicht aktualisiert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="604"/>
        <source>Trying again in %1 s.</source>
        <translation>Neuer Versuch in %1 s.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="616"/>
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
        <location filename="../../viewmodels/sync.py" line="132"/>
        <location filename="../../viewmodels/sync.py" line="238"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="168"/>
        <location filename="../../viewmodels/sync.py" line="169"/>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="174"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="174"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="177"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="177"/>
        <source>All sent</source>
        <translation>Alles gesendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="181"/>
        <source>oldest %1</source>
        <translation>ältestes %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="186"/>
        <source>%n quarantined</source>
        <translation>
            <numerusform>%n in Quarantäne</numerusform>
            <numerusform>%n in Quarantäne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="188"/>
        <source>Nothing quarantined</source>
        <translation>Nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="193"/>
        <source>Last delivered %1</source>
        <translation>Zuletzt übertragen %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="195"/>
        <source>Nothing delivered yet</source>
        <translation>Noch nichts übertragen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="199"/>
        <source>Next try at %1 (in %2)</source>
        <translation>Nächster Versuch um %1 (in %2)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="207"/>
        <source>Plant data from %1 (%2 old)</source>
        <translation>Werksdaten von %1 (%2 alt)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="211"/>
        <source>No plant data yet — using the station&apos;s files</source>
        <translation>Noch keine Werksdaten — die Station nutzt ihre eigenen Dateien</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="249"/>
        <source>Server · %1</source>
        <translation>Server · %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="259"/>
        <source>Input blocked</source>
        <translation>Eingabe gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="253"/>
        <source>Clock off</source>
        <translation>Uhr falsch</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="267"/>
        <source>The station clock is %1 s ahead of the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server vor. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="269"/>
        <source>The station clock is %1 s behind the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server nach. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="290"/>
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="292"/>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="296"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="298"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="301"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="302"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="323"/>
        <source>Trying the server now</source>
        <translation>Server wird jetzt versucht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="346"/>
        <source>Sign in as team lead to retry or export</source>
        <translation>Als Schichtführung anmelden, um zu wiederholen oder zu exportieren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="355"/>
        <source>Nothing to send again</source>
        <translation>Nichts zu wiederholen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="360"/>
        <source>Could not send again: %1</source>
        <translation>Wiederholen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="364"/>
        <source>Sending 1 event again</source>
        <translation>1 Ereignis wird erneut gesendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="366"/>
        <source>Sending %n events again</source>
        <translation>
            <numerusform>%n Ereignis wird erneut gesendet</numerusform>
            <numerusform>%n Ereignisse werden erneut gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="372"/>
        <source>This station has no server, so nothing is quarantined</source>
        <translation>Diese Station hat keinen Server, also ist nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="378"/>
        <source>Could not export: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="380"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="392"/>
        <source>Could not read the quarantine: %1</source>
        <translation>Quarantäne nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="405"/>
        <source>Attempts: %1</source>
        <translation>Versuche: %1</translation>
    </message>
</context>
</TS>
