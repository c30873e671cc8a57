using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Diagnosis;

/// <summary>The Explainer on needs as the server's analysis reports them (the same path is proved on real servers by the statement matrix).</summary>
public sealed class ServerNeedsExplainerTests
{
    private static (SnapshotBuilder B, Relation Kv, Relation View) World(string kvAcl = "{owner=arwdDxt/owner,app=a/owner}") => World(kvAcl, out _, out _);

    private static (SnapshotBuilder B, Relation Kv, Relation View) World(string kvAcl, out Schema pub, out uint owner)
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        owner = b.Role("owner");
        b.Role("app");
        pub = b.Schema("public", owner, "{owner=UC/owner,=U/owner}");
        var kv = b.Relation(pub, "kv", owner, kvAcl, ObjectKind.Table, ("key", null), ("value", null), ("note", null));
        var view = b.Relation(pub, "v", b.Role("viewowner"), "{viewowner=arwdDxt/viewowner,app=r/viewowner}", ObjectKind.View, ("key", null));
        return (b, kv, view);
    }

    private static Core.Diagnosis.Diagnosis Explain(SnapshotBuilder b, string message, string statement, ServerNeeds needs, string role = "app")
    {
        var s = b.Build();
        return new Explainer(s, new AccessEvaluator(s)).Explain(PermissionErrorParser.Parse(message), s.RoleByName(role)!, statement, needs);
    }

    private const string Upsert = "INSERT INTO kv (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    private static ServerNeeds UpsertNeeds(Relation kv) => new()
    {
        Statement = Upsert,
        Command = "INSERT",
        Relations =
        [
            new RelationCheck(kv.Oid, "public", "kv", Privilege.Insert | Privilege.Select | Privilege.Update, null, ["key"], ["key", "value"], ["value"], false, true),
            new RelationCheck(kv.Oid, "public", "kv", Privilege.Select, null, ["value"], [], [], false, false),
        ],
        Schemas = ["public"],
    };

    [Fact]
    public void OnConflictDoUpdateGetsSelectAndUpdateInOneFix()
    {
        var (b, kv, _) = World();
        var d = Explain(b, "permission denied for table kv", Upsert, UpsertNeeds(kv));
        Assert.Equal(["GRANT SELECT (key, value) ON TABLE public.kv TO app;", "GRANT UPDATE (value) ON TABLE public.kv TO app;"], SqlText.Of(d.Fix));
        Assert.False(d.AlreadyAllowed);
        Assert.StartsWith("the statement's needs come from the server's own analysis", d.StatementAnalysis, StringComparison.Ordinal);
        Assert.Equal("INSERT on public.kv", d.Attempted);
    }

    [Fact]
    public void WhatTheRoleHoldsIsNotGrantedAgain()
    {
        var (b, kv, _) = World("{owner=arwdDxt/owner,app=ar/owner}");
        var d = Explain(b, "permission denied for table kv", Upsert, UpsertNeeds(kv));
        Assert.Equal(["GRANT UPDATE (value) ON TABLE public.kv TO app;"], SqlText.Of(d.Fix));
    }

    [Fact]
    public void BaseRelationsOfAViewGoToItsOwner()
    {
        var (b, kv, view) = World();
        var needs = new ServerNeeds
        {
            Statement = "SELECT key FROM v",
            Command = "SELECT",
            Relations =
            [
                new RelationCheck(view.Oid, "public", "v", Privilege.Select, null, ["key"], [], [], false, true),
                new RelationCheck(kv.Oid, "public", "kv", Privilege.Select, "viewowner", ["key"], [], [], false, false),
            ],
        };
        var d = Explain(b, "permission denied for table kv", "SELECT key FROM v", needs);
        Assert.Equal(["GRANT SELECT (key) ON TABLE public.kv TO viewowner;"], SqlText.Of(d.Fix));
        Assert.Equal("viewowner", d.Role);
    }

    [Fact]
    public void NextvalAndCurrvalNeedOneUsageGrant()
    {
        var (b, _, _) = World("{owner=arwdDxt/owner,app=a/owner}", out var pub, out var owner);
        var seq = b.Sequence(pub, "tickets", owner, "{owner=rwU/owner}");
        var needs = new ServerNeeds
        {
            Statement = "SELECT nextval('tickets'), currval('tickets')",
            Command = "SELECT",
            Sequences = [new SequenceCall(seq.Oid, "public", "tickets", SequenceOperation.Nextval, false), new SequenceCall(seq.Oid, "public", "tickets", SequenceOperation.Currval, false)],
        };
        var d = Explain(b, "permission denied for sequence tickets", needs.Statement, needs);
        Assert.Equal(["GRANT USAGE ON SEQUENCE public.tickets TO app;"], SqlText.Of(d.Fix));
    }

    [Fact]
    public void AStatementTheServerCouldNotAnalyseFallsBackAndSaysSo()
    {
        var (b, _, _) = World();
        var d = Explain(b, "permission denied for table kv", "INSERT INTO kv (key) VALUES ('a') RETURNING *",
            ServerNeeds.Failed("INSERT INTO kv (key) VALUES ('a') RETURNING *", "relation \"kv\" does not exist"));
        Assert.Equal("the server could not analyse the statement (relation \"kv\" does not exist); pgrant read it itself", d.StatementAnalysis);
        Assert.Equal(["GRANT SELECT ON TABLE public.kv TO app;"], SqlText.Of(d.Fix));
    }

    [Fact]
    public void HoldingEverythingTheServerChecksIsNothingToFix()
    {
        var (b, kv, _) = World("{owner=arwdDxt/owner,app=arw/owner}");
        var d = Explain(b, "permission denied for table kv", Upsert, UpsertNeeds(kv));
        Assert.True(d.AlreadyAllowed);
        Assert.Empty(d.Fix);
        Assert.Equal([DiagnosisHint.OtherRole], d.Hints.ToArray());
    }

    [Fact]
    public void ReportShowsTheVerdictAndWhatWasNotChecked()
    {
        var (b, kv, _) = World();
        var d = Explain(b, "permission denied for table kv", Upsert, UpsertNeeds(kv)) with
        {
            Verification = new Verification(VerificationStatus.Verified, "with the fix, the statement passes the server's checks",
                ["the fix applied (2 statements), then rolled back"], ["the body of trigger t on public.kv (public.f, as app): it runs only when rows are written"]),
        };
        var text = DiagnosisReport.Text(PermissionErrorParser.Parse("permission denied for table kv"), d, h => h.ToString());
        Assert.Contains("verified  the server agrees with the fix: with the fix, the statement passes the server's checks\n", text, StringComparison.Ordinal);
        Assert.Contains("  not checked: the body of trigger t on public.kv (public.f, as app): it runs only when rows are written\n", text, StringComparison.Ordinal);
        var failed = d with { Verification = new Verification(VerificationStatus.Failed, "permission denied for table kv", [], []) };
        Assert.Contains("fix (least privilege; the server says it is not enough)", DiagnosisReport.Text(PermissionErrorParser.Parse("permission denied for table kv"), failed, h => h.ToString()), StringComparison.Ordinal);
    }
}
