using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// PRIVILEGE as written on the command line: a privilege name (SELECT, TEMP, ALTER_SYSTEM…), its
/// ACL letter (r, a, U…), or a sequence operation (nextval, currval, lastval, setval), which needs
/// any one of several privileges (<see cref="AccessEvaluator.Required"/>).
/// </summary>
/// <param name="Privilege">The privilege asked about; for a sequence operation, the privileges any one of which it accepts.</param>
/// <param name="Operation">The sequence operation, or null for a plain privilege.</param>
public sealed record PrivilegeRequest(Privilege Privilege, SequenceOperation? Operation)
{
    private const string Expected =
        "expected a privilege name (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN, EXECUTE, USAGE, CREATE, TEMPORARY, CONNECT), " +
        "its ACL letter (r, a, w, d, D, x, t, m, X, U, C, T, c), or a sequence operation (nextval, currval, lastval, setval)";

    /// <summary>Parses PRIVILEGE; throws a <see cref="PgrantException"/> (exit 2) saying what was expected.</summary>
    public static PrivilegeRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        SequenceOperation? operation = t.ToLowerInvariant() switch
        {
            "nextval" => SequenceOperation.Nextval,
            "currval" => SequenceOperation.Currval,
            "lastval" => SequenceOperation.Lastval,
            "setval" => SequenceOperation.Setval,
            _ => null,
        };
        if (operation is { } op) return new PrivilegeRequest(AccessEvaluator.Required(op), op);
        var privilege = Privileges.Parse(t);
        if (privilege is null || privilege is Privilege.Set or Privilege.AlterSystem)
            throw new PgrantException($"unknown privilege '{text}'", Expected);
        return new PrivilegeRequest(privilege.Value, null);
    }

    /// <summary>What the command prints: the SQL name, or the operation in lower case.</summary>
    public string Display => Operation is { } op ? op.ToString().ToLowerInvariant() : Privileges.SqlName(Privilege);

    /// <summary>Whether the request makes sense for the target on that server major.</summary>
    public bool AppliesTo(ObjectTarget target, int major) =>
        Operation is not null
            ? target.Kind == ObjectKind.Sequence
            : (target.Applicable(major) & Privilege) == Privilege;

    /// <summary>Throws (exit 2) when the privilege does not exist for the target's kind on that major.</summary>
    public void EnsureAppliesTo(ObjectTarget target, CatalogSnapshot snapshot)
    {
        if (AppliesTo(target, snapshot.Version.Major)) return;
        var kind = KindWords.Singular(target.Kind);
        if (Operation is not null)
            throw new PgrantException($"{Display} is a sequence operation, but {target.Name(snapshot)} is a {kind}",
                "name a sequence, or ask about a privilege (SELECT, USAGE, UPDATE…)");
        var valid = string.Join(", ", Privileges.Split(target.Applicable(snapshot.Version.Major)).Select(Privileges.SqlName));
        throw new PgrantException($"privilege {Display} does not exist for a {kind} (PostgreSQL {snapshot.Version.Major}): {target.Name(snapshot)}",
            valid.Length == 0 ? "this kind has no privileges" : $"a {kind} has: {valid}");
    }
}
