#!/usr/bin/python3
# Drives the running Insight Hub over AT-SPI: every control is found by
# its accessible name, as a screen-reader user would find it.
import sqlite3
import sys
import time

import pyatspi

DB = sys.argv[1]
DEADLINE = 30.0
FEEDBACK = [
    "The bus to Gloucester Royal only comes twice a day, so I missed my scan.",
    "Could there be a bus from Stroud to the new birth centre?",
]


def fail(message):
    print("not ok - " + message)
    sys.exit(1)


def wait_for(what, find, timeout=DEADLINE):
    end = time.time() + timeout
    while time.time() < end:
        try:
            found = find()
        except Exception:
            found = None
        if found:
            return found
        time.sleep(0.2)
    fail("timed out waiting for " + what)


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name in ("insight-hub", "Insight Hub"):
            return app
    return None


# GTK 4.8 does not report "showing" over AT-SPI, so the first control of
# that name and role is taken; the wide view switcher comes before the
# narrow one.
def named(app, name, roles=None):
    for node in walk(app):
        try:
            if node.name == name and (roles is None or node.getRoleName() in roles):
                return node
        except Exception:
            continue
    return None


# GTK 4.8 joins a control's label and its description into the name
# ("Feedback text What the person said"), so controls are matched by role
# and the words their name starts with (a button's mnemonic underscore
# may be in it: "_Save Activity Save Activity").
def control(app, role, start):
    for node in walk(app):
        try:
            if node.getRoleName() == role and (node.name or "").replace("_", "").startswith(start):
                return node
        except Exception:
            continue
    return None


def containing(app, text):
    for node in walk(app):
        try:
            if text in (node.name or ""):
                return node
        except Exception:
            continue
    return None


def press(node):
    node.queryAction().doAction(0)


def type_into(node, text):
    node.queryEditableText().setTextContents(text)


app = wait_for("the application on the accessibility bus", application)
print("ok 1 - the app is on the accessibility bus")

record = wait_for("the Record view button", lambda: named(app, "Record", ["page tab"]))
press(record)
text = wait_for("the feedback text box", lambda: control(app, "text", "Feedback text"))
save = wait_for("the save button", lambda: control(app, "push button", "Save and Add"))
for feedback in FEEDBACK:
    type_into(text, feedback)
    press(save)
    # The form clears for the next one once saved
    wait_for("the form to clear", lambda: text.queryText().getText(0, -1) == "")
print("ok 2 - two pieces of feedback typed and saved through the form")

press(wait_for("the Library view button", lambda: named(app, "Library", ["page tab"])))
search = wait_for("the search box", lambda: control(app, "entry", "Search insight"))
type_into(search, "bus")
for feedback in FEEDBACK:
    wait_for("the result “%s”" % feedback, lambda f=feedback: containing(app, f))
wait_for("the count of matches", lambda: named(app, "2 matches"))
print("ok 3 - searching “bus” finds both")

con = sqlite3.connect(DB)
rows = [r[0] for r in con.execute("SELECT text FROM insight WHERE deleted = 0 ORDER BY rid")]
con.close()
if rows != FEEDBACK:
    fail("the store holds %r" % rows)
print("ok 4 - the store holds exactly what was typed")


def stored_activity(title):
    con = sqlite3.connect(DB)
    try:
        row = con.execute("SELECT id FROM activity WHERE deleted = 0 AND title = ?",
                          (title,)).fetchone()
    finally:
        con.close()
    return row[0] if row else None


ACTIVITY = "Stroud maternity workshop"
ACTIVITY_FEEDBACK = "The workshop room was up two flights of stairs."

press(wait_for("the Activities view button", lambda: named(app, "Activities", ["page tab"])))
press(wait_for("the New activity button", lambda: control(app, "push button", "New activity")))
title = wait_for("the activity title box",
                 lambda: control(app, "text", "Title") or control(app, "entry", "Title"))
type_into(title, ACTIVITY)
press(wait_for("the Save Activity button", lambda: control(app, "push button", "Save Activity")))
activity_id = wait_for("the activity in the store", lambda: stored_activity(ACTIVITY))
print("ok 5 - an activity made through its form")

press(wait_for("the Record feedback for this activity button",
               lambda: control(app, "push button", "Record feedback for this activity")))
wait_for("the activity chosen in the feedback form", lambda: containing(app, ACTIVITY))
type_into(text, ACTIVITY_FEEDBACK)
press(save)
wait_for("the form to clear", lambda: text.queryText().getText(0, -1) == "")

con = sqlite3.connect(DB)
rows = con.execute("SELECT a.id FROM insight i LEFT JOIN activity a ON a.rid = i.activity_rid"
                   " WHERE i.deleted = 0 AND i.text = ?", (ACTIVITY_FEEDBACK,)).fetchall()
con.close()
if rows != [(activity_id,)]:
    fail("the feedback for the activity is stored as %r, not against %s" % (rows, activity_id))
print("ok 6 - feedback recorded for that activity is stored against it")
print("1..6")
