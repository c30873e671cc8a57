using System.Collections.Immutable;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>No role named, and the connected role may do it: the error came from someone else — say who would hit it.</summary>
public sealed partial class Explainer
{
    /// <summary>How many login roles are judged at most when looking for the ones that would hit an error.</summary>
    private const int MaxRolesJudged = 2000;

    /// <summary>
    /// The diagnosis for <paramref name="connected"/> when the caller named no role: when that role holds what is needed
    /// (a superuser, an owner), "nothing to fix" is true only for it, so the diagnosis says so and lists the login roles
    /// (not superusers) that would hit the same error, judged the same way (with <paramref name="needs"/> when the server
    /// analysed the statement). Grants to the connected role itself are dropped from the durable fix. Otherwise
    /// <paramref name="diagnosis"/> unchanged.
    /// </summary>
    /// <param name="diagnosis">The diagnosis made for <paramref name="connected"/>.</param>
    /// <param name="error">The permission error.</param>
    /// <param name="connected">The role explained as (the connected one).</param>
    /// <param name="statement">The statement, when known.</param>
    /// <param name="needs">The server's analysis of the statement, or null.</param>
    public Diagnosis WithoutNamedRole(Diagnosis diagnosis, PermissionError error, Role connected, string? statement, ServerNeeds? needs)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(connected);
        if (!diagnosis.AlreadyAllowed || diagnosis.Unresolved) return diagnosis;
        var candidates = snapshot.Roles
            .Where(r => r.CanLogin && !r.IsSuperuser && !r.IsPredefined && r.Oid != connected.Oid)
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var judged = candidates.Take(MaxRolesJudged).ToList();
        var hit = judged.Where(r => ExplainUnrouted(error, r, statement, needs) is { AlreadyAllowed: false, Unresolved: false, Missing.IsEmpty: false })
            .Select(r => r.Name).ToImmutableArray();
        var who = connected.IsSuperuser ? $"{connected.Name} (the connected role, a superuser)" : $"{connected.Name} (the connected role)";
        var cause = hit.IsEmpty
            ? $"no role was named, so this was judged for {who}, which may do it; no other login role would hit this error now ({Count(judged.Count, "login role")} judged): it was granted since, or it came from a role that cannot log in directly."
            : $"no role was named, so this was judged for {who}, which may do it; the error came from another role: {Count(hit.Length, "login role")} would hit it now ({string.Join(", ", hit.Take(10))}{(hit.Length > 10 ? ", …" : "")}). Explain again as the role that got it.";
        if (candidates.Count > judged.Count)
            cause += $" Only the first {judged.Count} of {candidates.Count} login roles (by name) were judged.";
        return diagnosis with
        {
            Cause = cause,
            WouldHit = hit,
            DurableFix = [.. diagnosis.DurableFix.Where(s => !GrantsTo(s, connected.Name))],
            Hints = [DiagnosisHint.OtherRole],
        };
    }

    private static bool GrantsTo(SqlStatement s, string role) => s switch
    {
        GrantPrivileges g => g.Grantees.Any(x => x.Role == role),
        GrantDefaultPrivileges g => g.Grantees.Any(x => x.Role == role),
        _ => false,
    };
}
