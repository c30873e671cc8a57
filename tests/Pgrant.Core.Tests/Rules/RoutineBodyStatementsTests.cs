using Pgrant.Core.Diagnosis;

namespace Pgrant.Core.Tests.Rules;

/// <summary>The statements found in PL/pgSQL and SQL bodies: what PGR018 judges.</summary>
public sealed class RoutineBodyStatementsTests
{
    private static (int Number, string Text, string Analyzable, bool Conditional)[] Statements(string body, string language = "plpgsql") =>
        [.. RoutineBodyStatements.Split(body, language).Statements.Select(s => (s.Number, s.Text, s.Analyzable, s.Conditional))];

    [Fact]
    public void An_audit_trigger_body_yields_its_insert_with_the_row_variables_made_parameters()
    {
        const string body = """

            BEGIN
                -- log every change; a ';' in a comment; splits nothing
                INSERT INTO audit_log (table_name, op, row_id)
                VALUES (TG_TABLE_NAME, TG_OP, NEW.id);
                RETURN NEW;
            END;
            """;
        Assert.Equal(
            [(1, "INSERT INTO audit_log (table_name, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, NEW.id)",
                "INSERT INTO audit_log (table_name, op, row_id)\n    VALUES (TG_TABLE_NAME, TG_OP, $1)", false)],
            Statements(body));
    }

    [Fact]
    public void Quotes_dollar_quotes_and_comments_hide_semicolons_and_keywords()
    {
        const string body = """
            DECLARE
                note text := 'a; b END IF; INSERT INTO nowhere VALUES (1)';
                "weird;name" integer;
            BEGIN
                /* nested /* comment; */ UPDATE nowhere SET x = 1; */
                INSERT INTO "Audit; Log" ("the op") VALUES ($q$it's; $q$ || E'\'; DELETE FROM t');
                RETURN NULL;
            END
            """;
        var found = Statements(body);
        var only = Assert.Single(found);
        Assert.Equal("INSERT INTO \"Audit; Log\" (\"the op\") VALUES ($q$it's; $q$ || E'\\'; DELETE FROM t')", only.Text);
        var shape = StatementAnalyzer.Analyze(only.Analyzable);
        Assert.Equal(new QualifiedName(null, "Audit; Log"), shape.Target);
        Assert.Equal(["the op"], shape.WrittenColumns.ToArray());
    }

    [Fact]
    public void Control_structures_are_walked_and_their_statements_marked_conditional()
    {
        const string body = """
            <<outer>>
            DECLARE
                r record;
                n integer;
            BEGIN
                PERFORM 1 FROM locks WHERE id = NEW.lock_id FOR UPDATE;
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM children WHERE parent = OLD.id;
                ELSIF TG_OP = (CASE WHEN true THEN 'UPDATE' END) THEN
                    UPDATE counters SET n = n + 1 WHERE id = NEW.counter_id;
                ELSE
                    SELECT count(*) INTO n FROM items WHERE owner = NEW.owner;
                END IF;
                FOR r IN SELECT id FROM pending WHERE batch = NEW.batch LOOP
                    INSERT INTO done (id) VALUES (r.id);
                END LOOP;
                CASE TG_LEVEL
                    WHEN 'ROW' THEN TRUNCATE scratch;
                    ELSE NULL;
                END CASE;
                BEGIN
                    INSERT INTO maybe (v) VALUES (1);
                EXCEPTION WHEN unique_violation THEN
                    UPDATE maybe SET v = v + 1;
                END;
                n := (SELECT count(*) FROM ignored_in_assignment);
                RAISE NOTICE 'done; %', n;
                RETURN NEW;
            END outer;
            """;
        Assert.Equal(
            [
                (1, "PERFORM 1 FROM locks WHERE id = NEW.lock_id FOR UPDATE", "SELECT 1 FROM locks WHERE id = $1 FOR UPDATE", false),
                (2, "DELETE FROM children WHERE parent = OLD.id", "DELETE FROM children WHERE parent = $1", true),
                (3, "UPDATE counters SET n = n + 1 WHERE id = NEW.counter_id", "UPDATE counters SET n = n + 1 WHERE id = $1", true),
                (4, "SELECT count(*) INTO n FROM items WHERE owner = NEW.owner", "SELECT count(*) INTO n FROM items WHERE owner = $1", true),
                (5, "SELECT id FROM pending WHERE batch = NEW.batch", "SELECT id FROM pending WHERE batch = $1", false),
                (6, "INSERT INTO done (id) VALUES (r.id)", "INSERT INTO done (id) VALUES ($1)", true),
                (7, "TRUNCATE scratch", "TRUNCATE scratch", true),
                (8, "INSERT INTO maybe (v) VALUES (1)", "INSERT INTO maybe (v) VALUES (1)", false),
                (9, "UPDATE maybe SET v = v + 1", "UPDATE maybe SET v = v + 1", true),
            ],
            Statements(body));
    }

    [Fact]
    public void Dynamic_sql_is_counted_not_read()
    {
        const string body = """
            DECLARE r record;
            BEGIN
                EXECUTE format('INSERT INTO %I VALUES ($1)', TG_ARGV[0]) USING NEW.id;
                FOR r IN EXECUTE 'SELECT 1' LOOP END LOOP;
                INSERT INTO kept (id) VALUES (NEW.id);
                RETURN NEW;
            END
            """;
        var split = RoutineBodyStatements.Split(body, "plpgsql");
        Assert.Equal(2, split.Dynamic);
        Assert.Equal(["INSERT INTO kept (id) VALUES (NEW.id)"], split.Statements.Select(s => s.Text).ToArray());
    }

    [Fact]
    public void A_sql_body_is_its_statements_and_other_languages_have_none()
    {
        Assert.Equal(
            [(1, "INSERT INTO log (v) VALUES ($1)", "INSERT INTO log (v) VALUES ($1)", false), (2, "SELECT v FROM log WHERE v = $1", "SELECT v FROM log WHERE v = $1", false)],
            Statements("INSERT INTO log (v) VALUES ($1);\n SELECT v FROM log WHERE v = $1;", "sql"));
        Assert.Empty(Statements("my_c_symbol", "c"));
        Assert.Empty(Statements("", "plpgsql"));
    }
}
