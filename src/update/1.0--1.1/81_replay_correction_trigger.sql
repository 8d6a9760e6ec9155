
-- A corrected status brings its own verdict (unless class or reason are
-- set in the same UPDATE).
DROP TRIGGER events_before ON @extschema@.events;
CREATE TRIGGER events_before BEFORE INSERT OR UPDATE OF address, status ON @extschema@.events
    FOR EACH ROW EXECUTE FUNCTION @extschema@._before_row('address', 'applied', 'id', 'status', 'class', 'reason');
