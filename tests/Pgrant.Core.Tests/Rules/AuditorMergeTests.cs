namespace Pgrant.Core.Tests.Rules;

public sealed class AuditorMergeTests
{
    private static Finding F(RuleDescriptor rule, string db, string? schema, string obj, Pgrant.Core.Acl.ObjectKind kind, string role, string message) =>
        new(rule, rule.Severity, db, schema, obj, kind, role, message, []);

    [Fact]
    public void Cluster_wide_findings_are_kept_once_and_the_rest_per_database_in_one_order()
    {
        var roleInA = F(PrivilegedAppLogin.Rule, "a", null, "app", Pgrant.Core.Acl.ObjectKind.Role, "app", "app is a superuser (seen from a)");
        var roleInB = F(PrivilegedAppLogin.Rule, "b", null, "app", Pgrant.Core.Acl.ObjectKind.Role, "app", "app is a superuser (seen from b)");
        var seqInA = F(SequenceUsageMissing.Rule, "a", "public", "public.t_id_seq", Pgrant.Core.Acl.ObjectKind.Sequence, "app", "m");
        var seqInB = F(SequenceUsageMissing.Rule, "b", "public", "public.t_id_seq", Pgrant.Core.Acl.ObjectKind.Sequence, "app", "m");
        var a = new AuditResult([seqInA, roleInA], ["x"], [SequenceUsageMissing.Rule, PrivilegedAppLogin.Rule]);
        var b = new AuditResult([seqInB, roleInB], [], [SequenceUsageMissing.Rule, PrivilegedAppLogin.Rule]);

        var merged = Auditor.Merge([("a", a), ("b", b)]);

        Assert.Equal([seqInA, seqInB, roleInA], merged.Findings.ToArray());
        Assert.Equal(["database a: x"], merged.Unreadable.ToArray());
        Assert.Equal(2, merged.RulesRun.Length);
    }
}
