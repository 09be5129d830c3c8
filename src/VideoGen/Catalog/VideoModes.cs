namespace VideoGen.Catalog;

/// <summary>What a model can do.</summary>
[Flags]
public enum VideoModes
{
    /// <summary>Nothing documented.</summary>
    None = 0,

    /// <summary>A video from a prompt alone.</summary>
    TextToVideo = 1,

    /// <summary>A video that starts from an image.</summary>
    ImageToVideo = 2,

    /// <summary>A video that ends on a given image.</summary>
    EndFrame = 4,

    /// <summary>Reference images that guide the video.</summary>
    ReferenceImages = 8,

    /// <summary>A soundtrack generated with the video.</summary>
    Audio = 16,

    /// <summary>Extending an earlier generation forward or backward.</summary>
    Extend = 32,
}
