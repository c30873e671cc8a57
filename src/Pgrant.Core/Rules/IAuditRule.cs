namespace Pgrant.Core.Rules;

/// <summary>An audit rule: independent of the others, pure, reads only the context.</summary>
public interface IAuditRule
{
    RuleDescriptor Descriptor { get; }
    IEnumerable<Finding> Check(AuditContext context);
}
