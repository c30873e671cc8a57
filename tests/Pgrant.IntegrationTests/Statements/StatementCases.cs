namespace Pgrant.IntegrationTests.Statements;

/// <summary>
/// One statement of the matrix: what the role is granted beforehand (committed, as the superuser), the
/// statement it runs, and the first major that has the feature. In <see cref="Setup"/> and
/// <see cref="Sql"/>, {app} is the case's login role and {vown} a role that owns the case's views, both quoted;
/// {s} is a suffix unique to the case, for objects it creates.
/// </summary>
public sealed record StatementCase(string Name, string Setup, string Sql, int MinMajor = 13, string? CopyData = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The world the matrix runs in — an application schema as people build them: serial and identity keys, a
/// key-value table for upserts, an audit log written by a SECURITY INVOKER trigger and one written by a
/// SECURITY DEFINER trigger, a partitioned table, routines and an aggregate and an operator without PUBLIC
/// EXECUTE, a sequence used directly, a table with row security, a rule, hostile names — and the statements.
/// </summary>
public static class StatementCases
{
    public const string World = """
        CREATE SCHEMA app;
        CREATE TABLE app.customers (id serial PRIMARY KEY, name text NOT NULL, email text, secret text);
        CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int REFERENCES app.customers (id),
            total numeric DEFAULT 0, status text DEFAULT 'new', created_at timestamptz DEFAULT now());
        CREATE TABLE app.kv (key text PRIMARY KEY, value text, hits int DEFAULT 0);
        CREATE TABLE app.audit_log (id bigserial PRIMARY KEY, tbl text, op text, at timestamptz DEFAULT now());
        CREATE FUNCTION app.log_change() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
        BEGIN
            INSERT INTO app.audit_log (tbl, op) VALUES (TG_TABLE_NAME, TG_OP);
            RETURN NEW;
        END $$;
        CREATE TABLE app.items (id serial PRIMARY KEY, name text, qty int DEFAULT 0);
        CREATE TRIGGER items_audit AFTER INSERT OR UPDATE ON app.items FOR EACH ROW EXECUTE FUNCTION app.log_change();
        CREATE FUNCTION app.log_tag() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        BEGIN
            INSERT INTO app.audit_log (tbl, op) VALUES (TG_TABLE_NAME, TG_OP);
            RETURN NEW;
        END $$;
        CREATE TABLE app.tags (name text PRIMARY KEY, color text);
        CREATE TRIGGER tags_audit AFTER INSERT ON app.tags FOR EACH ROW EXECUTE FUNCTION app.log_tag();
        CREATE TABLE app.events (id int, k int, payload text) PARTITION BY RANGE (k);
        CREATE TABLE app.events_a PARTITION OF app.events FOR VALUES FROM (0) TO (100);
        CREATE TABLE app.events_b PARTITION OF app.events FOR VALUES FROM (100) TO (200);
        CREATE FUNCTION app.price(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 1.2';
        REVOKE EXECUTE ON FUNCTION app.price(numeric) FROM PUBLIC;
        CREATE FUNCTION app.norm(text) RETURNS text LANGUAGE sql STABLE AS 'SELECT lower($1)';
        REVOKE EXECUTE ON FUNCTION app.norm(text) FROM PUBLIC;
        CREATE AGGREGATE app.total_sum(numeric) (sfunc = numeric_add, stype = numeric, initcond = '0');
        REVOKE EXECUTE ON FUNCTION app.total_sum(numeric) FROM PUBLIC;
        CREATE FUNCTION app.near(numeric, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) < 1';
        REVOKE EXECUTE ON FUNCTION app.near(numeric, numeric) FROM PUBLIC;
        CREATE OPERATOR app.=~ (leftarg = numeric, rightarg = numeric, function = app.near);
        CREATE SEQUENCE app.ticket_seq;
        CREATE TABLE app.docs (id int PRIMARY KEY, owner text, body text);
        ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
        CREATE POLICY docs_all ON app.docs USING (true) WITH CHECK (true);
        CREATE TABLE app.prices (id int PRIMARY KEY, p numeric);
        CREATE TABLE app.price_history (id int, p numeric);
        CREATE RULE prices_history AS ON UPDATE TO app.prices DO ALSO INSERT INTO app.price_history VALUES (OLD.id, OLD.p);
        CREATE TABLE app."Order Items" ("Order Id" int, "Qty" int, note text);
        INSERT INTO app.customers (name, email) VALUES ('a', 'a@x'), ('b', 'b@x');
        INSERT INTO app.orders (customer_id, total) VALUES (1, 10), (2, 20);
        INSERT INTO app.kv VALUES ('a', 'x', 0), ('b', 'y', 0);
        INSERT INTO app.items (name) VALUES ('first');
        INSERT INTO app.events VALUES (1, 5, 'e1'), (2, 150, 'e2');
        INSERT INTO app.docs VALUES (1, 'me', 'd1');
        INSERT INTO app.prices VALUES (1, 1);
        INSERT INTO app."Order Items" VALUES (1, 1, 'n');
        """;

    private const string U = "GRANT USAGE ON SCHEMA app TO {app};";
    private const string CustView = "CREATE VIEW app.v_cust_{s} AS SELECT id, name FROM app.customers; ALTER VIEW app.v_cust_{s} OWNER TO {vown};";
    private const string KvView = "CREATE VIEW app.v_kv_{s} AS SELECT key, value FROM app.kv; ALTER VIEW app.v_kv_{s} OWNER TO {vown};";

    public static IReadOnlyList<StatementCase> All { get; } =
    [
        // SELECT
        new("select every column", U, "SELECT * FROM app.customers"),
        new("select a column more than granted", U + "GRANT SELECT (id) ON app.customers TO {app};", "SELECT id, name FROM app.customers"),
        new("select with a WHERE column", U + "GRANT SELECT (name) ON app.customers TO {app};", "SELECT name FROM app.customers WHERE email = 'a@x'"),
        new("count(*)", U, "SELECT count(*) FROM app.customers"),
        new("join", U + "GRANT SELECT ON app.orders TO {app};", "SELECT o.id, c.name FROM app.orders o JOIN app.customers c ON c.id = o.customer_id"),
        new("subquery in WHERE", U + "GRANT SELECT ON app.orders TO {app};", "SELECT id FROM app.orders WHERE customer_id IN (SELECT id FROM app.customers WHERE name = 'a')"),
        new("CTE", U, "WITH c AS (SELECT id FROM app.customers) SELECT count(*) FROM c"),
        new("FOR UPDATE", U + "GRANT SELECT ON app.kv TO {app};", "SELECT key FROM app.kv WHERE key = 'a' FOR UPDATE"),
        new("function in the select list", U + "GRANT SELECT ON app.orders TO {app};", "SELECT app.price(total) FROM app.orders"),
        new("function in WHERE", U + "GRANT SELECT ON app.customers TO {app};", "SELECT id FROM app.customers WHERE app.norm(name) = 'a'"),
        new("aggregate without EXECUTE", U + "GRANT SELECT ON app.orders TO {app};", "SELECT app.total_sum(total) FROM app.orders"),
        new("operator whose function lacks EXECUTE", U + "GRANT SELECT ON app.orders TO {app};", "SELECT id FROM app.orders WHERE total OPERATOR(app.=~) 10"),
        new("schema USAGE only", "GRANT SELECT ON app.customers TO {app};", "SELECT id FROM app.customers"),
        new("schema USAGE and the table", "", "SELECT id, name FROM app.customers"),
        new("view whose owner lacks the base table", U + CustView + "GRANT SELECT ON app.v_cust_{s} TO {app};", "SELECT id, name FROM app.v_cust_{s}"),
        new("view the role lacks", U + CustView + "GRANT SELECT ON app.customers TO {vown};", "SELECT name FROM app.v_cust_{s}"),
        new("view: role and owner both lack", U + CustView, "SELECT * FROM app.v_cust_{s}"),
        new("security_invoker view", U + "CREATE VIEW app.v_inv_{s} WITH (security_invoker = true) AS SELECT id, name FROM app.customers; ALTER VIEW app.v_inv_{s} OWNER TO {vown}; GRANT SELECT ON app.customers TO {vown}; GRANT SELECT ON app.v_inv_{s} TO {app};",
            "SELECT name FROM app.v_inv_{s}", MinMajor: 15),
        new("partitioned table", U, "SELECT * FROM app.events WHERE k = 5"),
        new("one partition", U, "SELECT id, payload FROM app.events_a"),
        new("row security", U, "SELECT * FROM app.docs"),
        new("nextval", U, "SELECT nextval('app.ticket_seq')"),
        new("setval", U, "SELECT setval('app.ticket_seq', 100)"),
        new("nextval then currval", U, "SELECT nextval('app.ticket_seq'), currval('app.ticket_seq')"),
        new("nextval and a table", U, "SELECT nextval('app.ticket_seq'), name FROM app.customers"),
        new("hostile names", U + "GRANT SELECT (\"Order Id\") ON app.\"Order Items\" TO {app};", "SELECT \"Order Id\", \"Qty\" FROM app.\"Order Items\""),
        new("window function", U, "SELECT id, row_number() OVER (ORDER BY id) FROM app.customers"),
        new("parameters", U, "SELECT name FROM app.customers WHERE id = $1 AND email <> $2"),

        // INSERT
        new("serial default", U + "GRANT INSERT ON app.customers TO {app};", "INSERT INTO app.customers (name) VALUES ('n')"),
        new("serial default and RETURNING", U + "GRANT INSERT ON app.customers TO {app};", "INSERT INTO app.customers (name) VALUES ('n') RETURNING id"),
        new("insert with nothing granted", U, "INSERT INTO app.customers (name, email) VALUES ('n', 'e')"),
        new("identity column", U, "INSERT INTO app.orders (customer_id, total) VALUES (1, 5)"),
        new("identity and RETURNING *", U + "GRANT INSERT ON app.orders TO {app};", "INSERT INTO app.orders (total) VALUES (1) RETURNING *"),
        new("every column", U, "INSERT INTO app.kv VALUES ('k9', 'v', 1)"),
        new("INSERT … SELECT", U + "GRANT INSERT ON app.audit_log TO {app};", "INSERT INTO app.audit_log (tbl, op) SELECT name, 'x' FROM app.customers"),
        new("ON CONFLICT DO UPDATE", U + "GRANT INSERT ON app.kv TO {app};", "INSERT INTO app.kv (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        new("ON CONFLICT DO NOTHING", U, "INSERT INTO app.kv (key, value) VALUES ('a', 'b') ON CONFLICT DO NOTHING"),
        new("ON CONFLICT (key) DO NOTHING", U, "INSERT INTO app.kv (key, value) VALUES ('c', 'b') ON CONFLICT (key) DO NOTHING"),
        new("ON CONFLICT DO UPDATE with WHERE and RETURNING", U + "GRANT INSERT (key, value) ON app.kv TO {app};",
            "INSERT INTO app.kv AS t (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value, hits = t.hits + 1 WHERE t.value IS DISTINCT FROM excluded.value RETURNING hits"),
        new("SECURITY INVOKER trigger body", U + "GRANT INSERT (name) ON app.items TO {app}; GRANT USAGE ON SEQUENCE app.items_id_seq TO {app};", "INSERT INTO app.items (name) VALUES ('x')"),
        new("insert into a table whose trigger the role may run", U + "GRANT INSERT (tbl, op) ON app.audit_log TO {app}; GRANT USAGE ON SEQUENCE app.audit_log_id_seq TO {app};", "INSERT INTO app.items (name) VALUES ('y')"),
        new("SECURITY DEFINER trigger", U, "INSERT INTO app.tags (name) VALUES ('t')"),
        new("partitioned insert", U, "INSERT INTO app.events (id, k, payload) VALUES (3, 5, 'x')"),
        new("insert into a partition", U, "INSERT INTO app.events_b VALUES (4, 150, 'y')"),
        new("insert through a view", U + KvView + "GRANT INSERT ON app.v_kv_{s} TO {app};", "INSERT INTO app.v_kv_{s} (key, value) VALUES ('vz', 'z')"),
        new("row security insert", U, "INSERT INTO app.docs (id, owner, body) VALUES (9, 'me', 'b')"),
        new("DEFAULT VALUES", U, "INSERT INTO app.audit_log DEFAULT VALUES"),
        new("explicit nextval", U + "GRANT INSERT ON app.kv TO {app};", "INSERT INTO app.kv (key, value) VALUES (nextval('app.ticket_seq')::text, 'v')"),
        new("function in RETURNING", U + "GRANT INSERT (key, value), SELECT ON app.kv TO {app};", "INSERT INTO app.kv (key, value) VALUES ('f', 'v') RETURNING app.norm(value)"),
        new("data-modifying CTE", U + "GRANT INSERT (name) ON app.customers TO {app}; GRANT INSERT (customer_id) ON app.orders TO {app};",
            "WITH n AS (INSERT INTO app.customers (name) VALUES ('c') RETURNING id) INSERT INTO app.orders (customer_id) SELECT id FROM n"),
        new("hostile insert", U, "INSERT INTO app.\"Order Items\" (\"Order Id\", \"Qty\") VALUES (1, 2)"),
        new("insert with parameters", U, "INSERT INTO app.kv (key, value) VALUES ($1, $2)"),

        // UPDATE
        new("update with WHERE", U + "GRANT UPDATE ON app.customers TO {app};", "UPDATE app.customers SET name = 'b' WHERE id = 1"),
        new("update reading columns", U + "GRANT UPDATE (total) ON app.orders TO {app};", "UPDATE app.orders SET total = total * 2 WHERE status = 'new'"),
        new("update with nothing granted", U, "UPDATE app.kv SET value = 'x'"),
        new("UPDATE … FROM", U + "GRANT UPDATE (status), SELECT (customer_id) ON app.orders TO {app};",
            "UPDATE app.orders o SET status = 'vip' FROM app.customers c WHERE c.id = o.customer_id AND c.name = 'a'"),
        new("update RETURNING", U + "GRANT UPDATE (hits) ON app.kv TO {app};", "UPDATE app.kv SET hits = hits + 1 WHERE key = 'a' RETURNING value"),
        new("update fires the SECURITY INVOKER trigger", U + "GRANT UPDATE (qty), SELECT (id) ON app.items TO {app};", "UPDATE app.items SET qty = 3 WHERE id = 1"),
        new("update through a view", U + CustView + "GRANT UPDATE, SELECT ON app.v_cust_{s} TO {app};", "UPDATE app.v_cust_{s} SET name = 'q' WHERE id = 1"),
        new("update with a rule", U, "UPDATE app.prices SET p = 2 WHERE id = 1"),
        new("row security update", U, "UPDATE app.docs SET body = 'z' WHERE id = 1"),
        new("partitioned update", U, "UPDATE app.events SET payload = 'p' WHERE k = 5"),

        // DELETE
        new("delete with WHERE", U + "GRANT DELETE ON app.kv TO {app};", "DELETE FROM app.kv WHERE key = 'zz'"),
        new("delete with nothing granted", U, "DELETE FROM app.audit_log WHERE id < 0"),
        new("delete RETURNING *", U + "GRANT DELETE ON app.kv TO {app};", "DELETE FROM app.kv WHERE key = 'zz' RETURNING *"),
        new("DELETE … USING", U + "GRANT DELETE, SELECT (customer_id) ON app.orders TO {app};", "DELETE FROM app.orders o USING app.customers c WHERE c.id = o.customer_id AND c.name = 'zz'"),
        new("DELETE in a CTE", U + "GRANT DELETE ON app.kv TO {app}; GRANT INSERT (tbl, op) ON app.audit_log TO {app};",
            "WITH d AS (DELETE FROM app.kv WHERE key = 'a' RETURNING key) INSERT INTO app.audit_log (tbl, op) SELECT 'kv', key FROM d"),

        // MERGE (15+)
        new("MERGE update or insert", U, "MERGE INTO app.kv t USING (VALUES ('a', 'x')) s (k, v) ON t.key = s.k WHEN MATCHED THEN UPDATE SET value = s.v WHEN NOT MATCHED THEN INSERT (key, value) VALUES (s.k, s.v)", MinMajor: 15),
        new("MERGE delete from a joined table", U + "GRANT SELECT ON app.customers TO {app};", "MERGE INTO app.kv t USING app.customers c ON t.key = c.name WHEN MATCHED THEN DELETE", MinMajor: 15),
        new("MERGE with INSERT granted", U + "GRANT INSERT ON app.kv TO {app};", "MERGE INTO app.kv t USING (VALUES ('m', 'x')) s (k, v) ON t.key = s.k WHEN MATCHED THEN UPDATE SET hits = t.hits + 1 WHEN NOT MATCHED THEN INSERT (key, value) VALUES (s.k, s.v)", MinMajor: 15),

        // COPY
        new("COPY FROM with a serial default", U, "COPY app.customers (name, email) FROM STDIN", CopyData: "n1\te1\n"),
        new("COPY TO", U, "COPY app.kv TO STDOUT"),
        new("COPY TO some columns", U + "GRANT SELECT (id) ON app.customers TO {app};", "COPY app.customers (id, name) TO STDOUT"),
        new("COPY of a query", U, "COPY (SELECT key FROM app.kv WHERE hits = 0) TO STDOUT"),
    ];
}
