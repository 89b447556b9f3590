// A file field whose words are the app's, not the browser's: a native file
// input says "Choose File / No file chosen" in the browser's language (English
// in an en-US browser beside a Vietnamese screen). The native input stays in
// the page, focusable and labelled by the field's own label, but unseen; a
// button-styled label opens it and the chosen names are shown beside it.
import { forwardRef, useState, type InputHTMLAttributes } from 'react';
import { useT } from '../i18n';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange' | 'id'> & {
  id: string;
  onFiles?: (files: File[]) => void;
};

export const FileInput = forwardRef<HTMLInputElement, Props>(function FileInput({ id, onFiles, multiple, ...rest }, ref) {
  const t = useT();
  const [names, setNames] = useState<string[]>([]);
  return (
    <span className="file-input">
      <input
        {...rest}
        ref={ref}
        id={id}
        type="file"
        multiple={multiple}
        className="file-input-native"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          setNames(files.map((f) => f.name));
          onFiles?.(files);
        }}
      />
      <label htmlFor={id} className="button button-secondary file-input-button" aria-hidden="true">
        {multiple ? t('file.chooseMany') : t('file.choose')}
      </label>
      <span className="file-input-names" data-testid={`${id}-names`}>
        {names.length > 0 ? names.join(', ') : multiple ? t('file.noneMany') : t('file.none')}
      </span>
    </span>
  );
});
