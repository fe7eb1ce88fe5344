-- The IANA zone a meeting's time was set in ("14:00 Geneva time": Europe/Zurich): a
-- move by days or to another day keeps its hour on that clock, whoever moves it. A
-- chair in Mexico City moving a 14:00 Geneva meeting '+7 days' across Europe's clock
-- change landed it at 13:00 Geneva. NULL (meetings set before): the group's zone.
ALTER TABLE meetings ADD COLUMN zone TEXT;
