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
    <name>HeaderBar</name>
    <message>
        <location filename="../../views/HeaderBar.qml" line="25" />
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="36" />
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="42" />
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="51" />
        <source>Machine link</source>
        <translation>Maschinenverbindung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="60" />
        <source>Record</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location filename="../../views/HeaderBar.qml" line="61" />
        <source>Not saving</source>
        <translation>Speichert nicht</translation>
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
        <location filename="../../views/StationView.qml" line="15" />
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
        <location filename="../../viewmodels/stop_list.py" line="172" />
        <source>Micro-stop (automatic)</source>
        <translation>Kurzstillstand (automatisch)</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="174" />
        <source>No reason yet</source>
        <translation>Noch kein Grund</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="185" />
        <location filename="../../viewmodels/stop_list.py" line="218" />
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="197" />
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="209" />
        <source>This stop is too short to split.</source>
        <translation>Dieser Stillstand ist zu kurz zum Teilen.</translation>
    </message>
    <message>
        <location filename="../../viewmodels/stop_list.py" line="216" />
        <source>Stop from %1 to %2</source>
        <translation>Stillstand von %1 bis %2</translation>
    </message>
</context>
</TS>