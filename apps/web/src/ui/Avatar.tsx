import { useState } from 'react';

export type AvatarSize = 'sm' | 'md' | 'lg';

export interface AvatarProps {
  name: string;
  imageUrl: string | null;
  size?: AvatarSize;
  /** A deleted account: a neutral silhouette instead of anything personal. */
  neutral?: boolean;
}

// Dark enough that white initials keep at least 4.5:1 contrast on every one of them.
const initialsColors = ['#1f4f99', '#7a3e9d', '#0f6b5c', '#9c3d10', '#3d5a80', '#8a2846', '#4d6a12'];

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => Array.from(word ?? '')[0]?.toUpperCase() ?? '').join('') || '?';
}

function colorOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return initialsColors[hash % initialsColors.length] ?? '#1f4f99';
}

/** Decorative: the person's name is always written next to it, so it has no alt text. */
export function Avatar({ name, imageUrl, size = 'md', neutral = false }: AvatarProps) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const className = `avatar avatar--${size}`;
  if (neutral) {
    return (
      <span className={`${className} avatar--neutral`} aria-hidden="true">
        <svg viewBox="0 0 24 24" focusable="false">
          <circle cx="12" cy="9" r="4" />
          <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7z" />
        </svg>
      </span>
    );
  }
  if (imageUrl && failedUrl !== imageUrl) {
    return <img className={className} src={imageUrl} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={() => setFailedUrl(imageUrl)} />;
  }
  return (
    <span className={`${className} avatar--initials`} style={{ backgroundColor: colorOf(name) }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
