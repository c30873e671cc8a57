using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// "permission denied for large object N". Every open of a large object checks SELECT (inv_open: writing
/// implies reading), and an open for writing (lo_put, lowrite, lo_truncate, lo_open with INV_WRITE) then
/// checks UPDATE; both are checked on 13–18 (the oracle test runs them as the role). So a role without
/// SELECT was stopped by SELECT; a role that holds SELECT was stopped by UPDATE. The catalog read holds the
/// large object only when the scope names it (ExplainScope, by the OID in the message).
/// </summary>
public sealed partial class Explainer
{
    // Functions that open a large object for writing; the rest of the large-object functions only read it.
    [GeneratedRegex(@"\b(lo_put|lowrite|lo_truncate64|lo_truncate)\s*\(|\blo_open\s*\([^,]*,\s*(131072|393216|x'20000'|x'60000')", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LargeObjectWrite();

    // Any server-side large-object function: the statement says what it does with the object.
    [GeneratedRegex(@"\b(lo_get|loread|lo_export|lo_open|lo_put|lowrite|lo_truncate64|lo_truncate)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LargeObjectCall();

    private Diagnosis ExplainLargeObject(PermissionError error, Role role, string? statement)
    {
        // The oid is the message's last word ("large object 16403"; GRANT's own message repeats the object word).
        var text = error.ObjectName.Trim();
        var digits = text[(text.LastIndexOf(' ') + 1)..];
        if (!uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var oid))
            return Unsupported(error, role);
        if (snapshot.LargeObjectByOid(oid) is not { } lo)
            return Empty(error, role) with
            {
                Cause = $"no large object {oid} exists in database {snapshot.CurrentDatabase} (unlinked since, or the error came from another database: large objects belong to one database).",
            };
        var q = oid.ToString(CultureInfo.InvariantCulture);
        var d = new Diagnosis { KindWord = "large object", Kind = ObjectKind.LargeObject, Object = q, Role = role.Name, Attempted = $"open large object {q}" };
        if (snapshot.LargeObjectCompatPrivileges)
            return Allowed(d, "lo_compat_privileges is on in this database now, so the server checks no large-object privilege: it was turned on since the error, or the error came from a session or database where it is off.");

        // Known: the statement calls a large-object function (client-side calls through libpq's fast path leave none).
        var known = statement is not null && LargeObjectCall().IsMatch(statement);
        var writes = known && LargeObjectWrite().IsMatch(statement!);
        var select = access.Decide(role.Oid, lo, Privilege.Select);
        var update = access.Decide(role.Oid, lo, Privilege.Update);
        const string readWhy = "every open of a large object, for reading or writing, needs SELECT on it";
        const string writeWhy = "writing to a large object (lo_put, lowrite, lo_truncate, lo_open for writing) needs UPDATE on it, after SELECT";
        var missing = new List<(Privilege Privilege, string Why, string Explanation)>();
        if (!select.Allowed) missing.Add((Privilege.Select, readWhy, select.Explanation()));
        // A write needs UPDATE too. With no statement to tell: holding SELECT, only the write check can have
        // failed; lacking it, SELECT is the certain cause (UPDATE, if it writes, is named in the cause).
        if (!update.Allowed && (writes || (!known && select.Allowed))) missing.Add((Privilege.Update, writeWhy, update.Explanation()));
        if (missing.Count == 0)
            return Allowed(d, $"{role.Name} holds SELECT and UPDATE on large object {q} now: they were granted since the error, or the error came from another role.");
        var obj = SqlObject.Of(snapshot, lo);
        ImmutableArray<SqlStatement> fix = [.. missing.Select(m => (SqlStatement)new GrantPrivileges(m.Privilege, obj, role.Name, m.Why))];
        var cause = string.Join(" ", missing.Select(m => $"{role.Name} lacks {Privileges.SqlName(m.Privilege)} on large object {q}: {m.Explanation} {Capitalize(m.Why)}."));
        if (!select.Allowed && !update.Allowed && !known)
            cause += " If the statement writes to it, UPDATE is needed as well.";
        return d with
        {
            Missing = [.. missing.Select(m => MissingPrivilege.Of(m.Privilege, ObjectKind.LargeObject, q, m.Why))],
            Cause = cause,
            Fix = fix,
            CanFix = WhoCanGrant(lo, missing[0].Privilege),
        };
    }
}
