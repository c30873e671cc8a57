using System.Text.Json.Serialization;

namespace Pgrant.Cli.Commands;

/// <summary>
/// The JSON contract of `pgrant acl` (later tools rely on it): one entry per aclitem.
/// <c>grantee</c> is the role name or "PUBLIC"; <c>grantor</c> is null only when the input omitted
/// it; <c>object</c> and <c>kind</c> appear only when pasted psql output named them.
/// </summary>
internal sealed record AclJsonEntry(
    string Grantee,
    string? Grantor,
    IReadOnlyList<AclJsonPrivilege> Privileges,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Object,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind);

internal sealed record AclJsonPrivilege(string Privilege, string Letter, bool Grantable);
