namespace Pgrant.Core.Rules;

/// <summary>An audit rule: independent of the others, pure, reads only the context.</summary>
public interface IAuditRule
{
    /// <summary>What the rule is: its ID, name, default severity and title, shared by all its findings.</summary>
    RuleDescriptor Descriptor { get; }

    /// <summary>The rule's findings over the context's audited roles and objects; none when all is well.</summary>
    IEnumerable<Finding> Check(AuditContext context);
}
