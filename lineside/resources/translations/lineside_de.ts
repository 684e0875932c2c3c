<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>Category</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="224" />
        <source>Machine stop</source>
        <translation>Maschinenstillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="225" />
        <source>Starved (no material in)</source>
        <translation>Mangel (kein Material)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="226" />
        <source>Blocked (output full)</source>
        <translation>Stau (Auslauf voll)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="227" />
        <source>Planned stop</source>
        <translation>Geplanter Stillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="228" />
        <source>State unknown (no connection)</source>
        <translation>Zustand unbekannt (keine Verbindung)</translation>
    </message>
</context>
<context>
    <name>EventType</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="414" />
        <source>Stop started</source>
        <translation>Stillstand begonnen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="415" />
        <source>Stop ended</source>
        <translation>Stillstand beendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="416" />
        <source>PLC stop reason</source>
        <translation>SPS-Stillstandsgrund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="417" />
        <source>Reason given</source>
        <translation>Grund angegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="418" />
        <source>Reason changed</source>
        <translation>Grund geändert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="419" />
        <source>Stop split</source>
        <translation>Stillstand geteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="420" />
        <source>Reason left for later</source>
        <translation>Grund auf später verschoben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="421" />
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="422" />
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="423" />
        <source>Machine link lost</source>
        <translation>Maschinenverbindung verloren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="424" />
        <source>Machine link back</source>
        <translation>Maschinenverbindung wieder da</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../views/HeaderBar.qml" line="31" />
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="42" />
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="49" />
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="61" />
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="71" />
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="72" />
        <source>Not saving</source>
        <translation>Speichert nicht</translation>
    </message>
</context>
<context>
    <name>InputBlockedView</name>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="30" />
        <source>This station cannot save new input</source>
        <translation>Diese Station kann keine neuen Eingaben speichern</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="46" />
        <source>Call your team lead or IT.</source>
        <translation>Schichtführung oder IT rufen.</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="54" />
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>MachinePanel</name>
    <message>
        <location filename="../../views/MachinePanel.qml" line="62" />
        <source>Good</source>
        <translation>Gut</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="64" />
        <source>Defective</source>
        <translation>Ausschuss</translation>
    </message>
    <message>
        <location filename="../../views/MachinePanel.qml" line="66" />
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
</context>
<context>
    <name>MachineState</name>
    <message>
        <location filename="../../viewmodels/station.py" line="160" />
        <location filename="../../viewmodels/station.py" line="161" />
        <location filename="../../viewmodels/station.py" line="162" />
        <source>Producing</source>
        <translation>Produziert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="163" />
        <source>Held</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="164" />
        <source>Holding</source>
        <translation>Hält an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="165" />
        <source>Unholding</source>
        <translation>Läuft wieder an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="166" />
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="167" />
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="168" />
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="169" />
        <source>Aborting</source>
        <translation>Bricht ab</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="170" />
        <source>Suspended</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="171" />
        <source>Suspending</source>
        <translation>Unterbricht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="172" />
        <source>Unsuspending</source>
        <translation>Setzt fort</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="173" />
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="174" />
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="175" />
        <source>Resetting</source>
        <translation>Setzt zurück</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="176" />
        <source>Clearing</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="177" />
        <source>Complete</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="178" />
        <source>Completing</source>
        <translation>Wird fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="179" />
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="180" />
        <source>Not producing</source>
        <translation>Produziert nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="181" />
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="182" />
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
</context>
<context>
    <name>ReasonPromptView</name>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="68" />
        <source>Suggested: %1</source>
        <translation>Vorschlag: %1</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="79" />
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="128" />
        <source>Later</source>
        <translation>Später</translation>
    </message>
</context>
<context>
    <name>ReasonPromptViewModel</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="116" />
        <source>%1 stopped. Why?</source>
        <translation>%1 steht. Warum?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="118" />
        <source>Why did %1 stop?</source>
        <translation>Warum stand %1?</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="119" />
        <source>Since %1 · %2</source>
        <translation>Seit %1 · %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="122" />
        <source>%1 to %2 · %3</source>
        <translation>%1 bis %2 · %3</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="128" />
        <source>Machine reports: %1 %2</source>
        <translation>Maschine meldet: %1 %2</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <location filename="../../views/SignInView.qml" line="30" />
        <source>Sign in with your badge number</source>
        <translation>Mit Ausweisnummer anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="95" />
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="107" />
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="113" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>SignInViewModel</name>
    <message>
        <location filename="../../viewmodels/sign_in.py" line="69" />
        <source>Badge %1 is not known. Check the number or ask your team lead.</source>
        <translation>Ausweis %1 ist unbekannt. Nummer prüfen oder Schichtführung fragen.</translation>
    </message>
</context>
<context>
    <name>SplitStopView</name>
    <message>
        <location filename="../../views/SplitStopView.qml" line="28" />
        <source>Split stop</source>
        <translation>Stillstand teilen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="42" />
        <source>−1 min</source>
        <translation>−1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="47" />
        <source>−10 s</source>
        <translation>−10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="61" />
        <source>+10 s</source>
        <translation>+10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="66" />
        <source>+1 min</source>
        <translation>+1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="80" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="86" />
        <source>Split here</source>
        <translation>Hier teilen</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <location filename="../../views/StationView.qml" line="16" />
        <source>Lineside · %1</source>
        <translation>Lineside · %1</translation>
    </message>
</context>
<context>
    <name>StationViewModel</name>
    <message>
        <location filename="../../viewmodels/station.py" line="67" />
        <source>No order</source>
        <translation>Kein Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="110" />
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="118" />
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="119" />
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="120" />
        <source>Reconnecting</source>
        <translation>Verbinde neu</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="121" />
        <source>No connection</source>
        <translation>Keine Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="131" />
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="143" />
        <source>Saved: %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="149" />
        <source>Nobody signed in</source>
        <translation>Niemand angemeldet</translation>
    </message>
</context>
<context>
    <name>StopListView</name>
    <message>
        <location filename="../../views/StopListView.qml" line="21" />
        <source>Stops today</source>
        <translation>Stillstände heute</translation>
    </message>
    <message numerus="yes">
        <location filename="../../views/StopListView.qml" line="36" />
        <source>%n without reason</source>
        <translation>
            <numerusform>%n ohne Grund</numerusform>
            <numerusform>%n ohne Grund</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="118" />
        <source>Give reason</source>
        <translation>Grund angeben</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="118" />
        <source>Change reason</source>
        <translation>Grund ändern</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="125" />
        <source>Split</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="134" />
        <source>No stops today</source>
        <translation>Heute keine Stillstände</translation>
    </message>
</context>
<context>
    <name>StopListViewModel</name>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="171" />
        <source>Micro-stop (automatic)</source>
        <translation>Kurzstillstand (automatisch)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="173" />
        <source>No reason yet</source>
        <translation>Noch kein Grund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="184" />
        <location filename="../../viewmodels/stop_list.py" line="217" />
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="196" />
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="208" />
        <source>This stop is too short to split.</source>
        <translation>Dieser Stillstand ist zu kurz zum Teilen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="215" />
        <source>Stop from %1 to %2</source>
        <translation>Stillstand von %1 bis %2</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../../views/SyncView.qml" line="37" />
        <source>Input blocked:</source>
        <translation>Eingabe gesperrt:</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="58" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="194" />
        <source>Sending again</source>
        <translation>Wird erneut gesendet</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="230" />
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="240" />
        <source>The server has refused nothing</source>
        <translation>Der Server hat nichts abgewiesen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="264" />
        <source>Retry all</source>
        <translation>Alle wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="272" />
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="280" />
        <source>Send now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="287" />
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>SyncViewModel</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="152" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="188" />
        <location filename="../../viewmodels/sync.py" line="189" />
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="194" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="194" />
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="197" />
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="197" />
        <source>All sent</source>
        <translation>Alles gesendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="201" />
        <source>oldest %1</source>
        <translation>ältestes %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="206" />
        <source>%n quarantined</source>
        <translation>
            <numerusform>%n in Quarantäne</numerusform>
            <numerusform>%n in Quarantäne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="208" />
        <source>Nothing quarantined</source>
        <translation>Nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="213" />
        <source>Last delivered %1</source>
        <translation>Zuletzt übertragen %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="215" />
        <source>Nothing delivered yet</source>
        <translation>Noch nichts übertragen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="219" />
        <source>Next try at %1 (in %2)</source>
        <translation>Nächster Versuch um %1 (in %2)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="227" />
        <source>Plant data from %1 (%2 old)</source>
        <translation>Werksdaten von %1 (%2 alt)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="231" />
        <source>No plant data yet — using the station's files</source>
        <translation>Noch keine Werksdaten — die Station nutzt ihre eigenen Dateien</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="253" />
        <source>Server · %1</source>
        <translation>Server · %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="259" />
        <source>Input blocked</source>
        <translation>Eingabe gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="265" />
        <source>Clock off</source>
        <translation>Uhr falsch</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="271" />
        <source>The station clock is %1 s ahead of the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server vor. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="273" />
        <source>The station clock is %1 s behind the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server nach. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="294" />
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="296" />
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="300" />
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="302" />
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="305" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="306" />
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="327" />
        <source>Trying the server now</source>
        <translation>Server wird jetzt versucht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="350" />
        <source>Sign in as team lead to retry or export</source>
        <translation>Als Schichtführung anmelden, um zu wiederholen oder zu exportieren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="359" />
        <source>Nothing to send again</source>
        <translation>Nichts zu wiederholen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="364" />
        <source>Could not send again: %1</source>
        <translation>Wiederholen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="368" />
        <source>Sending 1 event again</source>
        <translation>1 Ereignis wird erneut gesendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="370" />
        <source>Sending %n events again</source>
        <translation>
            <numerusform>%n Ereignis wird erneut gesendet</numerusform>
            <numerusform>%n Ereignisse werden erneut gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="379" />
        <source>Could not export: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="381" />
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="393" />
        <source>Could not read the quarantine: %1</source>
        <translation>Quarantäne nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="406" />
        <source>Attempts: %1</source>
        <translation>Versuche: %1</translation>
    </message>
</context>
</TS>