using System.Collections.Immutable;
using Pgrant.Core.Rules.Catalog;

namespace Pgrant.Core.Rules;

/// <summary>Every audit rule, in ID order. Each rule is one file in Rules/Catalog/.</summary>
public static class RuleCatalog
{
    /// <summary>One instance of every rule, in ID order: what an audit runs when no rules are selected.</summary>
    public static readonly ImmutableArray<IAuditRule> All =
    [
        new SequenceUsageMissing(),
        new SchemaUsageMissing(),
        new DatabaseConnectMissing(),
        new DefaultPrivilegesGap(),
        new WriteWithoutSelect(),
        new BroadSequenceGrant(),
        new BroadTableGrant(),
        new PrivilegedAppLogin(),
        new SerialColumn(),
        new SequenceExhaustion(),
        new PublicCreateOnSchema(),
        new PublicSecurityDefiner(),
        new RoleNamedLikeDatabase(),
        new UninheritableGrant(),
        new ColumnInsertIncomplete(),
        new ViewOwnerLacksBase(),
        new RlsWithoutPolicy(),
        new TriggerBodyDenied(),
    ];

    /// <summary>The rule with this ID ("PGR001") or name ("sequence-usage-missing"), case-insensitive; null when none.</summary>
    public static IAuditRule? Find(string idOrName) =>
        All.FirstOrDefault(r => string.Equals(r.Descriptor.Id, idOrName, StringComparison.OrdinalIgnoreCase)
                             || string.Equals(r.Descriptor.Name, idOrName, StringComparison.OrdinalIgnoreCase));
}
