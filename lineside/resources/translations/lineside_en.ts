<?xml version="1.0" encoding="utf-8"?>
<!-- English plural forms only: every other English text is the source itself. -->
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>RolePanel</name>
    <message numerus="yes">
        <source>%n stops without reason</source>
        <translation>
            <numerusform>%n stop without reason</numerusform>
            <numerusform>%n stops without reason</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StopListView</name>
    <message numerus="yes">
        <source>%n without reason</source>
        <translation>
            <numerusform>%n without reason</numerusform>
            <numerusform>%n without reason</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncViewModel</name>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n quarantined</source>
        <translation>
            <numerusform>%n quarantined</numerusform>
            <numerusform>%n quarantined</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %n events again</source>
        <translation>
            <numerusform>Sending %n event again</numerusform>
            <numerusform>Sending %n events again</numerusform>
        </translation>
    </message>
</context>
</TS>
