namespace Warden.Domain.Guardrails;

/// <summary>One detector: reads one string and adds what it finds. It must not throw for any input.</summary>
public interface IScanner
{
    string Name { get; }

    void Scan(ScanText text, ICollection<Finding> findings);
}
