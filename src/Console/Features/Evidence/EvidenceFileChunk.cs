namespace Warden.Features.Evidence;

/// <summary>
/// One piece (at most <see cref="EvidenceStore.ChunkBytes"/>) of a stored pack file. Packs live in the
/// database so that every instance serves and verifies them; pieces keep memory flat however large a
/// pack grows.
/// </summary>
public sealed class EvidenceFileChunk
{
    private EvidenceFileChunk()
    {
        PackId = string.Empty;
        FileName = string.Empty;
        Content = [];
    }

    public EvidenceFileChunk(string packId, string fileName, int index, byte[] content)
    {
        PackId = packId;
        FileName = fileName;
        Index = index;
        Content = content;
    }

    public string PackId { get; private set; }

    public string FileName { get; private set; }

    public int Index { get; private set; }

    public byte[] Content { get; private set; }
}
