using Pgrant.Core.Access;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Diagnosis;

/// <summary>
/// The permission-error families no object GRANT answers the usual way, and owner-only commands: each on a small
/// in-memory snapshot (the integration tests raise each one from real servers and prove the fixes).
/// </summary>
public sealed class FamilyExplainerTests
{
    private static Core.Diagnosis.Diagnosis Explain(SnapshotBuilder b, string message, string role = "app", string? statement = null,
        string? detail = null, string? hint = null)
    {
        var s = b.Build();
        var error = PermissionErrorParser.Parse(message);
        error = error with { Detail = detail ?? error.Detail, Hint = hint ?? error.Hint };
        return new Explainer(s, new AccessEvaluator(s)).Explain(error, s.RoleByName(role)!, statement);
    }

    private static (SnapshotBuilder B, Schema Public, uint Owner, uint App) World(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("migrator");
        var app = b.Role("app");
        var pub = b.Schema("public", owner, "{migrator=UC/migrator,=U/migrator}");
        return (b, pub, owner, app);
    }

    private static readonly FixerRole Postgres = new("postgres", "superuser");

    // ---- owner-only commands --------------------------------------------------------------------------------

    [Theory]
    [InlineData(15, "GRANT migrator TO app;")]
    [InlineData(16, "GRANT migrator TO app WITH INHERIT TRUE, SET FALSE;")]
    public void MembershipInTheOwnerIsOnlyABroadOptionThatSaysWhatItHandsOver(int major, string grant)
    {
        var (b, pub, owner, _) = World(major);
        b.Relation(pub, "orders", owner, null, ObjectKind.Table, ("id", null));
        b.Footprint(owner, owned: 4, ownedHere: 3, privileged: 1, "schema public", "table public.orders", "table public.items");
        var d = Explain(b, "ERROR:  must be owner of table orders", statement: "CREATE INDEX ON orders (id)");
        Assert.Empty(d.Fix);
        Assert.Equal("run CREATE INDEX on table public.orders, which only its owner may do", d.Attempted);
        Assert.Equal(["OWNERSHIP"], d.Missing.Select(m => m.Name));
        var broad = Assert.IsType<BroadFix>(d.Broad);
        Assert.Equal([grant], SqlText.Of(broad.Statements));
        Assert.StartsWith("membership in migrator hands app owner rights (ALTER, DROP, GRANT, TRUNCATE … on everything it owns) over 4 objects: schema public, table public.orders, table public.items; 1 more object in other databases; the privileges migrator was granted on 1 other object", broad.HandsOver);
        Assert.Contains(major >= 16 ? "app holds these directly (INHERIT TRUE), without SET ROLE." : "On 13–15 a membership always carries inheritance unless the member is NOINHERIT (app is INHERIT)", broad.HandsOver);
        Assert.Equal([Postgres], broad.CanRun.ToArray());
        Assert.Contains(d.Notes, n => n.Kind == NoteKind.Advice && n.Text.StartsWith("Run CREATE INDEX as the owner: connect as migrator", StringComparison.Ordinal));
        Assert.Empty(d.Alternatives);   // no one-command function for CREATE INDEX: its definition is the caller's
    }

    [Fact]
    public void RefreshOn16OffersAOneCommandSecurityDefinerFunctionAndNamesMaintainFrom17()
    {
        var (b, pub, owner, _) = World(16);
        b.Relation(pub, "daily totals", owner, null, ObjectKind.MaterializedView, ("n", null));
        var d = Explain(b, "must be owner of materialized view \"daily totals\"", statement: "REFRESH MATERIALIZED VIEW \"daily totals\"");
        Assert.Empty(d.Fix);
        Assert.NotNull(d.Broad);
        var option = Assert.Single(d.Alternatives);
        Assert.Equal("a SECURITY DEFINER function that runs REFRESH MATERIALIZED VIEW on public.\"daily totals\"", option.Title);
        Assert.Equal(
        [
            "CREATE FUNCTION public.\"refresh_daily totals\"() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'REFRESH MATERIALIZED VIEW public.\"daily totals\"';",
            "ALTER FUNCTION public.\"refresh_daily totals\"() OWNER TO migrator;",
            "REVOKE EXECUTE ON FUNCTION public.\"refresh_daily totals\"() FROM PUBLIC;",
            "GRANT EXECUTE ON FUNCTION public.\"refresh_daily totals\"() TO app;",
        ], SqlText.Of(option.Statements));
        Assert.Contains(d.Notes, n => n.Text == "From PostgreSQL 17, GRANT MAINTAIN ON TABLE public.\"daily totals\" allows REFRESH MATERIALIZED VIEW without ownership; this server is 16.");
    }

    [Theory]
    [InlineData("must be owner of materialized view totals")]
    [InlineData("permission denied for materialized view totals")]
    public void RefreshOn17IsMaintainOnTheRelation(string message)
    {
        var (b, pub, owner, _) = World(17);
        b.Relation(pub, "totals", owner, null, ObjectKind.MaterializedView, ("n", null));
        var d = Explain(b, message, statement: "REFRESH MATERIALIZED VIEW totals");
        Assert.Equal(["GRANT MAINTAIN ON TABLE public.totals TO app;"], SqlText.Of(d.Fix));
        Assert.Null(d.Broad);
        Assert.Equal(["MAINTAIN"], d.Missing.Select(m => m.Name));
        Assert.Equal([Postgres, new FixerRole("migrator", "owner")], d.CanFix.ToArray());
    }

    [Fact]
    public void AnOwnerOnlyCommandOnASuperusersObjectOffersNoMembershipAtAll()
    {
        var (b, pub, _, _) = World(16);
        b.Relation(pub, "items", b.Bootstrap, null, ObjectKind.Table, ("id", null));
        var d = Explain(b, "must be owner of table items", statement: "ALTER TABLE items ADD COLUMN x int");
        Assert.Empty(d.Fix);
        Assert.Null(d.Broad);
        Assert.Equal("run ALTER on table public.items, which only its owner may do", d.Attempted);
    }

    [Fact]
    public void CreateTriggerNeedsTrigger()
    {
        var (b, pub, owner, _) = World(16);
        b.Relation(pub, "items", owner, "{migrator=arwdDxt/migrator,app=r/migrator}", ObjectKind.Table, ("id", null));
        var d = Explain(b, "permission denied for table items", statement: "CREATE TRIGGER t BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION f()");
        Assert.Equal(["GRANT TRIGGER ON TABLE public.items TO app;"], SqlText.Of(d.Fix));
    }

    // ---- SET ROLE ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(15, "must be member of role \"migrator\"", "GRANT migrator TO app;", "On 13–15 a membership always carries inheritance")]
    [InlineData(16, "permission denied to set role \"migrator\"", "GRANT migrator TO app WITH INHERIT FALSE, SET TRUE;", "with INHERIT FALSE the grant carries only the right to SET ROLE migrator")]
    public void SetRoleToARoleThatOwnsThingsIsBroad(int major, string message, string grant, string says)
    {
        var (b, pub, owner, _) = World(major);
        b.Relation(pub, "orders", owner, null, ObjectKind.Table, ("id", null));
        var d = Explain(b, message);
        Assert.Empty(d.Fix);
        var broad = Assert.IsType<BroadFix>(d.Broad);
        Assert.Equal([grant], SqlText.Of(broad.Statements));
        Assert.Contains("over 2 objects: schema public, table public.orders", broad.HandsOver);
        Assert.Contains(says, broad.HandsOver);
    }

    // ---- role attributes ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData(13)]
    [InlineData(18)]
    public void CreateDatabaseNeedsTheCreatedbAttribute(int major)
    {
        var (b, _, _, _) = World(major);
        var d = Explain(b, "ERROR:  permission denied to create database", statement: "CREATE DATABASE x");
        Assert.Equal(["ALTER ROLE app CREATEDB;"], SqlText.Of(d.Fix));
        Assert.Equal(["CREATEDB"], d.Missing.Select(m => m.Name));
        Assert.Equal([Postgres], d.CanFix.ToArray());
        Assert.Null(d.Broad);
        Assert.Contains("Attributes are not privileges: no GRANT gives them, only ALTER ROLE", d.Cause);
    }

    [Fact]
    public void CreateroleBefore16IsBroad()
    {
        var (b, _, _, _) = World(15);
        b.AttributedRole("hr", createRole: true);
        var d = Explain(b, "permission denied to create role", statement: "CREATE ROLE x");
        Assert.Empty(d.Fix);
        var broad = Assert.IsType<BroadFix>(d.Broad);
        Assert.Equal(["ALTER ROLE app CREATEROLE;"], SqlText.Of(broad.Statements));
        Assert.Contains("close to superuser", broad.HandsOver);
        Assert.Equal([Postgres, new FixerRole("hr", "createrole")], broad.CanRun.ToArray());
    }

    [Fact]
    public void CreateroleFrom16IsTheFix()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to create role", statement: "CREATE ROLE x",
            detail: "Only roles with the CREATEROLE attribute may create roles.");
        Assert.Equal(["ALTER ROLE app CREATEROLE;"], SqlText.Of(d.Fix));
        Assert.Null(d.Broad);
    }

    [Fact]
    public void AlterRoleOn16WithCreateroleNeedsTheAdminOptionOnTheRole()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.AttributedRole("app", createRole: true);
        b.Role("worker");
        var d = Explain(b, "permission denied to alter role", statement: "ALTER ROLE worker CONNECTION LIMIT 5",
            detail: "Only roles with the CREATEROLE attribute and the ADMIN option on role \"worker\" may alter this role.");
        Assert.Equal(["GRANT worker TO app WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;"], SqlText.Of(d.Fix));
        Assert.Equal(["ADMIN OPTION"], d.Missing.Select(m => m.Name));
        Assert.Contains("CREATEROLE reaches only the roles a role has the ADMIN option on", d.Cause);
    }

    [Fact]
    public void ASuperuserAttributeInTheDetailMeansSuperuserOnly()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to alter role", detail: "Only roles with the SUPERUSER attribute may alter roles with the SUPERUSER attribute.");
        Assert.True(d.SuperuserOnly);
        Assert.Empty(d.Fix);
        Assert.Null(d.Broad);
        Assert.Equal(["SUPERUSER"], d.Missing.Select(m => m.Name));
    }

    // ---- superuser only -----------------------------------------------------------------------------------------

    [Fact]
    public void SuperuserOnlyCommandsSaySoAndGiveTheRealOptions()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to create event trigger \"audit\"");
        Assert.True(d.SuperuserOnly);
        Assert.Empty(d.Fix);
        Assert.Null(d.Broad);
        Assert.Contains(d.Notes, n => n.Text.StartsWith("Event triggers are created and owned by superusers only", StringComparison.Ordinal));
        Assert.Contains(d.Notes, n => n.Kind == NoteKind.Caution && n.Text.StartsWith("Making app a superuser is not a fix", StringComparison.Ordinal));
        Assert.Equal([Postgres], d.CanFix.ToArray());
    }

    // ---- predefined roles ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData(14, "must be superuser or a member of the pg_read_server_files role to COPY from a file", null, "GRANT pg_read_server_files TO app;")]
    [InlineData(16, "permission denied to COPY from a file", "Only roles with privileges of the \"pg_read_server_files\" role may COPY from a file.", "GRANT pg_read_server_files TO app WITH INHERIT TRUE, SET FALSE;")]
    public void CopyFromAServerFileIsABroadPredefinedRoleAndClientCopyIsTheAdvice(int major, string message, string? detail, string grant)
    {
        var (b, _, _, _) = World(major);
        b.AttributedRole("pg_read_server_files", predefined: true);
        var d = Explain(b, message, statement: "COPY items FROM '/tmp/x.csv'", detail: detail);
        Assert.Empty(d.Fix);
        var broad = Assert.IsType<BroadFix>(d.Broad);
        Assert.Equal([grant], SqlText.Of(broad.Statements));
        Assert.Contains("any file the server's operating-system user can read", broad.HandsOver);
        Assert.Contains(d.Notes, n => n.Text.StartsWith("Load or unload through the client instead: COPY … FROM STDIN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(15, "must be a member of the role whose query is being canceled or member of pg_signal_backend", null, "GRANT pg_signal_backend TO app;")]
    [InlineData(18, "permission denied to cancel query", "Only roles with privileges of the role whose query is being canceled or with privileges of the \"pg_signal_backend\" role may cancel this query.", "GRANT pg_signal_backend TO app WITH INHERIT TRUE, SET FALSE;")]
    public void CancellingAnotherRolesQueryNeedsPgSignalBackend(int major, string message, string? detail, string grant)
    {
        var (b, _, _, _) = World(major);
        b.AttributedRole("pg_signal_backend", predefined: true);
        var d = Explain(b, message, detail: detail);
        Assert.Equal([grant], SqlText.Of(d.Fix));
        Assert.Equal(["MEMBERSHIP"], d.Missing.Select(m => m.Name));
        Assert.Contains("every non-superuser role", d.Cause);
    }

    [Fact]
    public void CheckpointBefore15IsSuperuserOnlyAndFrom15IsPgCheckpoint()
    {
        var (b14, _, _, _) = World(14);
        var d14 = Explain(b14, "must be superuser to do CHECKPOINT");
        Assert.True(d14.SuperuserOnly);
        Assert.Contains(d14.Notes, n => n.Text == "From PostgreSQL 15, membership in pg_checkpoint allows CHECKPOINT.");

        var (b17, _, _, _) = World(17);
        b17.AttributedRole("pg_checkpoint", predefined: true);
        var d17 = Explain(b17, "permission denied to execute CHECKPOINT command", detail: "Only roles with privileges of the \"pg_checkpoint\" role may execute this command.");
        Assert.Equal(["GRANT pg_checkpoint TO app WITH INHERIT TRUE, SET FALSE;"], SqlText.Of(d17.Fix));
    }

    // ---- parameters ---------------------------------------------------------------------------------------------

    [Fact]
    public void SettingASuperuserParameterOn15IsGrantSetOnParameter()
    {
        var (b, _, _, _) = World(15);
        var d = Explain(b, "permission denied to set parameter \"log_statement\"", statement: "SET log_statement = 'all'");
        Assert.Equal(["GRANT SET ON PARAMETER log_statement TO app;"], SqlText.Of(d.Fix));
        Assert.Equal(["SET"], d.Missing.Select(m => m.Name));
        Assert.Equal([Postgres], d.CanFix.ToArray());
    }

    [Fact]
    public void AlterSystemNeedsAlterSystemOnTheParameter()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to set parameter \"work_mem\"", statement: "ALTER SYSTEM SET work_mem = '64MB'");
        Assert.Equal(["GRANT ALTER SYSTEM ON PARAMETER work_mem TO app;"], SqlText.Of(d.Fix));
        Assert.Contains(d.Notes, n => n.Kind == NoteKind.Caution);
    }

    [Fact]
    public void AParameterGrantInTheCatalogIsSeen()
    {
        var (b, _, _, _) = World(16);
        b.Other(ObjectKind.Parameter, "log_statement", b.Bootstrap, "{postgres=sA/postgres,app=s/postgres}");
        Assert.True(Explain(b, "permission denied to set parameter \"log_statement\"").AlreadyAllowed);
    }

    [Fact]
    public void SettingASuperuserParameterBefore15IsSuperuserOnly()
    {
        var (b, _, _, _) = World(14);
        var d = Explain(b, "permission denied to set parameter \"log_statement\"");
        Assert.True(d.SuperuserOnly);
        Assert.Empty(d.Fix);
        Assert.Contains("GRANT SET ON PARAMETER exists from 15", d.Cause);
    }

    // ---- extensions ---------------------------------------------------------------------------------------------

    [Fact]
    public void ATrustedExtensionNeedsCreateOnTheDatabase()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to create extension \"hstore\"", hint: "Must have CREATE privilege on current database to create this extension.");
        Assert.Equal(["GRANT CREATE ON DATABASE app TO app;"], SqlText.Of(d.Fix));
        Assert.Contains(d.Notes, n => n.Kind == NoteKind.Caution && n.Text.Contains("create schemas", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUntrustedExtensionIsSuperuserOnly()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to create extension \"file_fdw\"", hint: "Must be superuser to create this extension.");
        Assert.True(d.SuperuserOnly);
        Assert.Empty(d.Fix);
        Assert.Contains(d.Notes, n => n.Text.StartsWith("A superuser runs CREATE EXTENSION file_fdw once in database app", StringComparison.Ordinal));
    }

    // ---- role administration, other roles' objects ----------------------------------------------------------

    [Theory]
    [InlineData(15, "must have admin option on role \"team\"", null, "GRANT team TO app WITH ADMIN OPTION;")]
    [InlineData(16, "permission denied to grant role \"team\"", "Only roles with the ADMIN option on role \"team\" may grant this role.", "GRANT team TO app WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;")]
    public void GrantingARoleNeedsTheAdminOption(int major, string message, string? detail, string grant)
    {
        var (b, _, _, _) = World(major);
        b.Role("team", login: false);
        var d = Explain(b, message, statement: "GRANT team TO someone", detail: detail);
        Assert.Equal([grant], SqlText.Of(d.Fix));
        Assert.Equal(["ADMIN OPTION"], d.Missing.Select(m => m.Name));
    }

    [Fact]
    public void TheAdminOptionOnARoleThatOwnsThingsIsBroad()
    {
        var (b, _, owner, _) = World(16);
        b.Footprint(owner, 10, 10, 0, "table public.orders");
        var d = Explain(b, "permission denied to grant role \"migrator\"", detail: "Only roles with the ADMIN option on role \"migrator\" may grant this role.");
        Assert.Empty(d.Fix);
        Assert.Contains("the ADMIN option: app may grant migrator to any role, itself included", d.Broad!.HandsOver);
    }

    [Fact]
    public void DropOwnedNeedsThePrivilegesOfTheRoleNamedInTheDetail()
    {
        var (b, _, _, _) = World(16);
        var d = Explain(b, "permission denied to drop objects", statement: "DROP OWNED BY migrator",
            detail: "Only roles with privileges of role \"migrator\" may drop objects owned by it.");
        Assert.Equal("migrator", d.Object);
        Assert.Empty(d.Fix);
        Assert.Equal(["GRANT migrator TO app WITH INHERIT TRUE, SET FALSE;"], SqlText.Of(d.Broad!.Statements));
        Assert.Contains(d.Notes, n => n.Text.StartsWith("Run it as migrator", StringComparison.Ordinal));
    }

    // ---- maintenance --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(16, "WARNING:  permission denied to vacuum \"items\", skipping it")]
    [InlineData(15, "WARNING:  skipping \"items\" --- only table or database owner can vacuum it")]
    public void VacuumBefore17IsTheOwnersAndTheDatabaseOwners(int major, string message)
    {
        var (b, pub, owner, _) = World(major);
        b.Relation(pub, "items", owner, null, ObjectKind.Table, ("id", null));
        var d = Explain(b, message);
        Assert.Empty(d.Fix);
        Assert.NotNull(d.Broad);
        Assert.Equal("run VACUUM on table public.items, which only its owner may do", d.Attempted);
        Assert.Contains(d.Notes, n => n.Text.StartsWith("Before 17, VACUUM and ANALYZE also run on every table for the owner of the database (postgres)", StringComparison.Ordinal));
    }

    [Fact]
    public void AnalyzeFrom17IsMaintain()
    {
        var (b, pub, owner, _) = World(17);
        b.Relation(pub, "items", owner, null, ObjectKind.Table, ("id", null));
        var d = Explain(b, "WARNING:  permission denied to analyze \"items\", skipping it");
        Assert.Equal(["GRANT MAINTAIN ON TABLE public.items TO app;"], SqlText.Of(d.Fix));
    }

    // ---- large objects, foreign-data wrappers, foreign servers ------------------------------------------------

    [Theory]
    [InlineData("SELECT lo_get(16400)", "GRANT SELECT ON LARGE OBJECT 16400 TO app;")]
    public void LargeObjectsAreReadWithSelect(string statement, string grant)
    {
        var (b, _, owner, _) = World(16);
        b.LargeObject(16400, owner);
        var d = Explain(b, "permission denied for large object 16400", statement: statement);
        Assert.Equal([grant], SqlText.Of(d.Fix));
    }

    [Fact]
    public void ForeignDataWrappersAndServersNeedUsage()
    {
        var (b, _, owner, _) = World(16);
        b.Other(ObjectKind.ForeignDataWrapper, "dummy wrapper", b.Bootstrap);
        b.Other(ObjectKind.ForeignServer, "remote", owner);
        Assert.Equal(["GRANT USAGE ON FOREIGN DATA WRAPPER \"dummy wrapper\" TO app;"],
            SqlText.Of(Explain(b, "permission denied for foreign-data wrapper dummy wrapper").Fix));
        var server = Explain(b, "permission denied for foreign server remote", statement: "CREATE USER MAPPING FOR app SERVER remote");
        Assert.Equal(["GRANT USAGE ON FOREIGN SERVER remote TO app;"], SqlText.Of(server.Fix));
        Assert.Equal([Postgres, new FixerRole("migrator", "owner")], server.CanFix.ToArray());
    }

    // ---- the report ----------------------------------------------------------------------------------------------

    [Fact]
    public void TheReportShowsTheBroadOptionInItsOwnLabelledSectionNeverAsTheFix()
    {
        var (b, pub, owner, _) = World(16);
        b.Relation(pub, "orders", owner, null, ObjectKind.Table, ("id", null));
        var error = PermissionErrorParser.Parse("must be owner of table orders");
        var s = b.Build();
        var d = new Explainer(s, new AccessEvaluator(s)).Explain(error, s.RoleByName("app")!, "ALTER TABLE orders ADD COLUMN x int");
        var text = DiagnosisReport.Text(error, d, h => h.ToString());
        Assert.DoesNotContain("fix (least privilege)", text);
        Assert.Contains("broad option (NOT least privilege; --apply needs --allow-broad)\n  GRANT migrator TO app WITH INHERIT TRUE, SET FALSE;\nhands over  membership in migrator hands app owner rights", text);
        Assert.Contains("\nwho can run it  postgres (superuser)\n", text);
    }

    [Fact]
    public void TheCommandFunctionIsWrittenWithQuotedNamesAndALiteralBodyWithinTheIdentifierLimit()
    {
        var (b, _, owner, _) = World(15);
        var schema = b.Schema("it's \"odd\"", owner);
        var longName = new string('ü', 31);   // 62 bytes: "refresh_" + it is cut to 63 bytes on a whole character
        b.Relation(schema, longName, owner, null, ObjectKind.MaterializedView, ("n", null));
        var d = Explain(b, $"must be owner of materialized view {longName}", statement: $"REFRESH MATERIALIZED VIEW \"it's \"\"odd\"\"\".{longName}");
        var create = SqlText.Of(Assert.Single(d.Alternatives).Statements)[0];
        var fn = "refresh_" + new string('ü', 27);
        Assert.Equal(62, System.Text.Encoding.UTF8.GetByteCount(fn));   // one more ü would pass 63
        Assert.Equal($"CREATE FUNCTION \"it's \"\"odd\"\"\".\"{fn}\"() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'REFRESH MATERIALIZED VIEW \"it''s \"\"odd\"\"\".\"{longName}\"';", create);
    }

    [Fact]
    public void CreateIndexAlsoGrantsCreateOnTheSchemaWhenTheRoleLacksIt()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("migrator");
        b.Role("app");
        var pub = b.Schema("public", b.Bootstrap, "{postgres=UC/postgres,=U/postgres}");
        b.Relation(pub, "orders", owner, null, ObjectKind.Table, ("id", null));
        var d = Explain(b, "must be owner of table orders", statement: "CREATE INDEX ON orders (id)");
        Assert.Equal(["GRANT CREATE ON SCHEMA public TO app;", "GRANT migrator TO app WITH INHERIT TRUE, SET FALSE;"], SqlText.Of(d.Broad!.Statements));
        Assert.Equal(["OWNERSHIP", "CREATE"], d.Missing.Select(m => m.Name));
    }

    [Fact]
    public void UnlinkingAnotherRolesLargeObjectIsOwnerOnly()
    {
        var (b, _, owner, _) = World(16);
        b.LargeObject(16400, owner);
        var d = Explain(b, "must be owner of large object 16400", statement: "SELECT lo_unlink(16400)");
        Assert.Equal(("large object", "16400"), (d.KindWord, d.Object));
        Assert.Equal(["OWNERSHIP"], d.Missing.Select(m => m.Name));
        Assert.Empty(d.Fix);
        Assert.Equal(["GRANT migrator TO app WITH INHERIT TRUE, SET FALSE;"], SqlText.Of(d.Broad!.Statements));
    }
}
