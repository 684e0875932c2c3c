<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Category</name>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="222"/>
        <source>Machine stop</source>
        <translation>Maschinenstillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="223"/>
        <source>Starved (no material in)</source>
        <translation>Mangel (kein Material)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="224"/>
        <source>Blocked (output full)</source>
        <translation>Stau (Auslauf voll)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="225"/>
        <source>Planned stop</source>
        <translation>Geplanter Stillstand</translation>
    </message>
    <message>
        <location filename="../../viewmodels/reason_prompt.py" line="226"/>
        <source>State unknown (no connection)</source>
        <translation>Zustand unbekannt (keine Verbindung)</translation>
    </message>
</context>
<context>
    <name>EventType</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="400"/>
        <source>Stop started</source>
        <translation>Stillstand begonnen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="401"/>
        <source>Stop ended</source>
        <translation>Stillstand beendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="402"/>
        <source>PLC stop reason</source>
        <translation>SPS-Stillstandsgrund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="403"/>
        <source>Reason given</source>
        <translation>Grund angegeben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="404"/>
        <source>Reason changed</source>
        <translation>Grund geändert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="405"/>
        <source>Stop split</source>
        <translation>Stillstand geteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="406"/>
        <source>Reason left for later</source>
        <translation>Grund auf später verschoben</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="407"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="408"/>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="409"/>
        <source>Machine link lost</source>
        <translation>Maschinenverbindung verloren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="410"/>
        <source>Machine link back</source>
        <translation>Maschinenverbindung wieder da</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="411"/>
        <source>Production counted</source>
        <translation>Produktion gezählt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="412"/>
        <source>Terminal started</source>
        <translation>Terminal gestartet</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../views/HeaderBar.qml" line="31"/>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="49"/>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="61"/>
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="71"/>
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="72"/>
        <source>Not saving</source>
        <translation>Speichert nicht</translation>
    </message>
</context>
<context>
    <name>InputBlockedView</name>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="30"/>
        <source>This station cannot save new input</source>
        <translation>Diese Station kann keine neuen Eingaben speichern</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="46"/>
        <source>Call your team lead or IT.</source>
        <translation>Schichtführung oder IT rufen.</translation>
    </message>
    <message>
        <location filename="../../views/InputBlockedView.qml" line="54"/>
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
        <location filename="../../viewmodels/station.py" line="210"/>
        <location filename="../../viewmodels/station.py" line="211"/>
        <location filename="../../viewmodels/station.py" line="212"/>
        <source>Producing</source>
        <translation>Produziert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="213"/>
        <source>Held</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="214"/>
        <source>Holding</source>
        <translation>Hält an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="215"/>
        <source>Unholding</source>
        <translation>Läuft wieder an</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="216"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="217"/>
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="218"/>
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="219"/>
        <source>Aborting</source>
        <translation>Bricht ab</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="220"/>
        <source>Suspended</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="221"/>
        <source>Suspending</source>
        <translation>Unterbricht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="222"/>
        <source>Unsuspending</source>
        <translation>Setzt fort</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="223"/>
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="224"/>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="225"/>
        <source>Resetting</source>
        <translation>Setzt zurück</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="226"/>
        <source>Clearing</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="227"/>
        <source>Complete</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="228"/>
        <source>Completing</source>
        <translation>Wird fertig</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="229"/>
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="230"/>
        <source>Not producing</source>
        <translation>Produziert nicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="231"/>
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="232"/>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
</context>
<context>
    <name>ReasonPromptView</name>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="68"/>
        <source>Suggested: %1</source>
        <translation>Vorschlag: %1</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="79"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../views/ReasonPromptView.qml" line="128"/>
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
        <source>Machine reports: %1 %2</source>
        <translation>Maschine meldet: %1 %2</translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <location filename="../../viewmodels/base.py" line="91"/>
        <source>Not saved: %1 entries are waiting for the server, as many as this station may hold. Call your team lead (sync screen); the entry stays on screen.</source>
        <translation>Nicht gespeichert: %1 Einträge warten auf den Server, so viele, wie diese Station halten darf. Rufen Sie Ihren Schichtleiter (Sync-Ansicht); der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="96"/>
        <source>Not saved: the station cannot write its record. Call your team lead; the entry stays on screen.</source>
        <translation>Nicht gespeichert: Die Station kann ihre Aufzeichnung nicht schreiben. Rufen Sie Ihren Schichtleiter; der Eintrag bleibt auf dem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="101"/>
        <source>This stop is no longer in today&apos;s list. Refresh the stop list.</source>
        <translation>Dieser Stillstand ist nicht mehr in der heutigen Liste. Aktualisieren Sie die Liste.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="104"/>
        <source>Reason %1 is not in this machine&apos;s reason list.</source>
        <translation>Grund %1 ist nicht in der Grundliste dieser Maschine.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="107"/>
        <source>Choose a split time between the start and the end of the stop.</source>
        <translation>Wählen Sie eine Teilungszeit zwischen Beginn und Ende des Stillstands.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/base.py" line="113"/>
        <source>Not saved (%1).</source>
        <translation>Nicht gespeichert (%1).</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <location filename="../../views/SignInView.qml" line="30"/>
        <source>Sign in with your badge number</source>
        <translation>Mit Ausweisnummer anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="95"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="107"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../../views/SignInView.qml" line="113"/>
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
        <location filename="../../views/SplitStopView.qml" line="28"/>
        <source>Split stop</source>
        <translation>Stillstand teilen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="42"/>
        <source>−1 min</source>
        <translation>−1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="47"/>
        <source>−10 s</source>
        <translation>−10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="61"/>
        <source>+10 s</source>
        <translation>+10 s</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="66"/>
        <source>+1 min</source>
        <translation>+1 min</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="80"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../views/SplitStopView.qml" line="86"/>
        <source>Split here</source>
        <translation>Hier teilen</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <location filename="../../views/StationView.qml" line="16"/>
        <source>Lineside · %1</source>
        <translation>Lineside · %1</translation>
    </message>
</context>
<context>
    <name>StationViewModel</name>
    <message>
        <location filename="../../viewmodels/station.py" line="165"/>
        <source>No order</source>
        <translation>Kein Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="111"/>
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="119"/>
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="120"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="121"/>
        <source>Reconnecting</source>
        <translation>Verbinde neu</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="122"/>
        <source>No connection</source>
        <translation>Keine Verbindung</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="141"/>
        <location filename="../../viewmodels/station.py" line="145"/>
        <source>State unknown</source>
        <translation>Zustand unbekannt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="152"/>
        <source>%1 · planned</source>
        <translation>%1 · geplant</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="168"/>
        <source>Order (config)</source>
        <translation>Auftrag (Konfig.)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="168"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="171"/>
        <source>No shift</source>
        <translation>Keine Schicht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="186"/>
        <source>Saved: %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/station.py" line="190"/>
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
        <location filename="../../views/StopListView.qml" line="118"/>
        <source>Give reason</source>
        <translation>Grund angeben</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="118"/>
        <source>Change reason</source>
        <translation>Grund ändern</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="125"/>
        <source>Split</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <location filename="../../views/StopListView.qml" line="134"/>
        <source>No stops today</source>
        <translation>Heute keine Stillstände</translation>
    </message>
</context>
<context>
    <name>StopListViewModel</name>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="149"/>
        <source>%1 (automatic)</source>
        <translation>%1 (automatisch)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="151"/>
        <source>No reason yet</source>
        <translation>Noch kein Grund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="159"/>
        <source>No connection %1 to %2</source>
        <translation>Keine Verbindung %1 bis %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="161"/>
        <location filename="../../viewmodels/stop_list.py" line="168"/>
        <location filename="../../viewmodels/stop_list.py" line="228"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="186"/>
        <source>coded %1</source>
        <translation>begründet: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="190"/>
        <source>changed %1 → %2</source>
        <translation>geändert: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="198"/>
        <source>split at %1</source>
        <translation>geteilt um %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="202"/>
        <source>split off</source>
        <translation>abgeteilt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="207"/>
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="219"/>
        <source>This stop is too short to split.</source>
        <translation>Dieser Stillstand ist zu kurz zum Teilen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="226"/>
        <source>Stop from %1 to %2</source>
        <translation>Stillstand von %1 bis %2</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../../views/SyncView.qml" line="37"/>
        <source>Input blocked:</source>
        <translation>Eingabe gesperrt:</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="58"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="194"/>
        <source>Sending again</source>
        <translation>Wird erneut gesendet</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="230"/>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="240"/>
        <source>The server has refused nothing</source>
        <translation>Der Server hat nichts abgewiesen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="264"/>
        <source>Retry all</source>
        <translation>Alle wiederholen</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="272"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="280"/>
        <source>Send now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <location filename="../../views/SyncView.qml" line="287"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>SyncViewModel</name>
    <message>
        <location filename="../../viewmodels/sync.py" line="129"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="165"/>
        <location filename="../../viewmodels/sync.py" line="166"/>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="171"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="171"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="174"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="174"/>
        <source>All sent</source>
        <translation>Alles gesendet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="178"/>
        <source>oldest %1</source>
        <translation>ältestes %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="183"/>
        <source>%n quarantined</source>
        <translation>
            <numerusform>%n in Quarantäne</numerusform>
            <numerusform>%n in Quarantäne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="185"/>
        <source>Nothing quarantined</source>
        <translation>Nichts in Quarantäne</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="190"/>
        <source>Last delivered %1</source>
        <translation>Zuletzt übertragen %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="192"/>
        <source>Nothing delivered yet</source>
        <translation>Noch nichts übertragen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="196"/>
        <source>Next try at %1 (in %2)</source>
        <translation>Nächster Versuch um %1 (in %2)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="204"/>
        <source>Plant data from %1 (%2 old)</source>
        <translation>Werksdaten von %1 (%2 alt)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="208"/>
        <source>No plant data yet — using the station&apos;s files</source>
        <translation>Noch keine Werksdaten — die Station nutzt ihre eigenen Dateien</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="239"/>
        <source>Server · %1</source>
        <translation>Server · %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="249"/>
        <source>Input blocked</source>
        <translation>Eingabe gesperrt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="243"/>
        <source>Clock off</source>
        <translation>Uhr falsch</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="257"/>
        <source>The station clock is %1 s ahead of the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server vor. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="259"/>
        <source>The station clock is %1 s behind the server. Call IT.</source>
        <translation>Die Stationsuhr geht %1 s gegenüber dem Server nach. IT rufen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="280"/>
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="282"/>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="286"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="288"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="291"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="292"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="313"/>
        <source>Trying the server now</source>
        <translation>Server wird jetzt versucht</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="336"/>
        <source>Sign in as team lead to retry or export</source>
        <translation>Als Schichtführung anmelden, um zu wiederholen oder zu exportieren</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="345"/>
        <source>Nothing to send again</source>
        <translation>Nichts zu wiederholen</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="350"/>
        <source>Could not send again: %1</source>
        <translation>Wiederholen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="354"/>
        <source>Sending 1 event again</source>
        <translation>1 Ereignis wird erneut gesendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../viewmodels/sync.py" line="356"/>
        <source>Sending %n events again</source>
        <translation>
            <numerusform>%n Ereignis wird erneut gesendet</numerusform>
            <numerusform>%n Ereignisse werden erneut gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="365"/>
        <source>Could not export: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="367"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="379"/>
        <source>Could not read the quarantine: %1</source>
        <translation>Quarantäne nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../../viewmodels/sync.py" line="392"/>
        <source>Attempts: %1</source>
        <translation>Versuche: %1</translation>
    </message>
</context>
</TS>
